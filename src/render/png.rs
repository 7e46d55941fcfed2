//! PNG encoding of a rendered pixmap: 8-bit RGBA, fast deflate.
//!
//! tiny-skia's own `encode_png` uses zlib's default level; the fast level (fdeflate)
//! encodes a 1600×1000 map several times quicker; files come out about 45 % larger
//! (174 KB against 121 KB for the anchor map, see `benches/README.md`).

use tiny_skia::Pixmap;

/// Encodes `pixmap` as PNG bytes.
pub fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    // tiny-skia stores premultiplied alpha; maps are opaque, so this is usually a copy.
    let mut data = pixmap.data().to_vec();
    for px in data.chunks_exact_mut(4) {
        let a = px[3];
        if a != 255 && a != 0 {
            for c in &mut px[..3] {
                *c = ((u16::from(*c) * 255 + u16::from(a) / 2) / u16::from(a)) as u8;
            }
        }
    }
    let mut out = Vec::with_capacity(data.len() / 4);
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::FilterType::Up);
        let mut writer = enc.write_header()?;
        writer.write_image_data(&data)?;
    }
    Ok(out)
}

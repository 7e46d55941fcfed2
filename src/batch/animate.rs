//! Animations of a batch: an APNG of the maps in date order, halved until at most 800 px
//! wide, with a hold time per frame.

use std::path::Path;

use crate::io::atomic_file;

/// Largest animation width in pixels.
pub const MAX_WIDTH: u32 = 800;

/// Reads an 8-bit RGB or RGBA PNG as RGBA.
fn read_rgba(path: &Path) -> std::io::Result<(u32, u32, Vec<u8>)> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut dec = png::Decoder::new(file);
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut r = dec.read_info().map_err(std::io::Error::other)?;
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).map_err(std::io::Error::other)?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => {
            return Err(std::io::Error::other(format!(
                "{}: unexpected PNG colour type {other:?}",
                path.display()
            )));
        }
    };
    Ok((info.width, info.height, rgba))
}

/// Halves an RGBA image (2×2 box filter).
fn halve(w: u32, h: u32, px: &[u8]) -> (u32, u32, Vec<u8>) {
    let (nw, nh) = (w / 2, h / 2);
    let mut out = vec![0u8; (nw * nh * 4) as usize];
    for y in 0..nh as usize {
        for x in 0..nw as usize {
            for c in 0..4 {
                let at = |dx: usize, dy: usize| {
                    u32::from(px[((2 * y + dy) * w as usize + 2 * x + dx) * 4 + c])
                };
                out[(y * nw as usize + x) * 4 + c] =
                    ((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4) as u8;
            }
        }
    }
    (nw, nh, out)
}

/// Writes the maps `frames` (PNG files, all one size) as an APNG at `out`, each frame held
/// `hold_ms`, looping.
pub fn apng(frames: &[std::path::PathBuf], out: &Path, hold_ms: u16) -> std::io::Result<()> {
    let load = |f: &Path| -> std::io::Result<(u32, u32, Vec<u8>)> {
        let (mut w, mut h, mut px) = read_rgba(f)?;
        while w > MAX_WIDTH {
            (w, h, px) = halve(w, h, &px);
        }
        Ok((w, h, px))
    };
    let Some(first) = frames.first() else {
        return Err(std::io::Error::other("no maps to animate"));
    };
    let (fw, fh, px) = load(first)?;
    atomic_file::write_with(out, atomic_file::Sync::EachFile, |w| {
        let mut enc = png::Encoder::new(w, fw, fh);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        enc.set_animated(frames.len() as u32, 0)
            .map_err(std::io::Error::other)?;
        enc.set_frame_delay(hold_ms, 1000)
            .map_err(std::io::Error::other)?;
        let mut wr = enc.write_header().map_err(std::io::Error::other)?;
        wr.write_image_data(&px).map_err(std::io::Error::other)?;
        for f in &frames[1..] {
            let (w2, h2, px) = load(f)?;
            if (w2, h2) != (fw, fh) {
                return Err(std::io::Error::other(format!(
                    "{}: {w2}x{h2}, the first map is {fw}x{fh}",
                    f.display()
                )));
            }
            wr.write_image_data(&px).map_err(std::io::Error::other)?;
        }
        wr.finish().map_err(std::io::Error::other)
    })
}

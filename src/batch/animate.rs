//! Animations of a batch: an APNG or a GIF of the maps in date order, halved until at
//! most 800 px wide, with a hold time per frame. A GIF has one palette for every frame
//! (NeuQuant over a sample of frames), so colours do not flicker between days.

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

/// An RGBA image: width, height, pixels.
type Image = (u32, u32, Vec<u8>);

/// A frame loader: each map halved until at most [`MAX_WIDTH`] wide, then padded with
/// white at the bottom to the tallest map's height (a day whose key continues below the
/// map is taller than the others).
fn loader(
    frames: &[std::path::PathBuf],
) -> std::io::Result<impl Fn(&Path) -> std::io::Result<Image>> {
    let mut tallest = 0;
    let mut halvings = 0;
    for (i, f) in frames.iter().enumerate() {
        let file = std::io::BufReader::new(std::fs::File::open(f)?);
        let info = png::Decoder::new(file)
            .read_info()
            .map_err(std::io::Error::other)?
            .info()
            .clone();
        if i == 0 {
            let mut w = info.width;
            while w > MAX_WIDTH {
                w /= 2;
                halvings += 1;
            }
        }
        tallest = tallest.max(info.height >> halvings);
    }
    Ok(move |f: &Path| {
        let (mut w, mut h, mut px) = read_rgba(f)?;
        while w > MAX_WIDTH {
            (w, h, px) = halve(w, h, &px);
        }
        if h < tallest {
            px.resize((w * tallest * 4) as usize, 255);
            h = tallest;
        }
        Ok((w, h, px))
    })
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
    let load = loader(frames)?;
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

/// Writes the maps `frames` as a looping GIF at `out`, one palette, each frame held
/// `hold_ms` (GIF counts hundredths of a second).
pub fn gif(frames: &[std::path::PathBuf], out: &Path, hold_ms: u16) -> std::io::Result<()> {
    let load = loader(frames)?;
    if frames.is_empty() {
        return Err(std::io::Error::other("no maps to animate"));
    }
    // The palette from up to 8 frames spread over the batch, every 3rd pixel.
    let step = frames.len().div_ceil(8).max(1);
    let mut sample = Vec::new();
    let mut size = None;
    for f in frames.iter().step_by(step) {
        let (w, h, px) = load(f)?;
        size.get_or_insert((w, h));
        sample.extend(px.chunks_exact(4).step_by(3).flatten().copied());
    }
    let (fw, fh) = size.unwrap_or((1, 1));
    let (gw, gh) = (
        u16::try_from(fw).map_err(std::io::Error::other)?,
        u16::try_from(fh).map_err(std::io::Error::other)?,
    );
    let nq = color_quant::NeuQuant::new(10, 256, &sample);
    let palette = nq.color_map_rgb();
    atomic_file::write_with(out, atomic_file::Sync::EachFile, |w| {
        let mut enc = gif::Encoder::new(w, gw, gh, &palette).map_err(std::io::Error::other)?;
        enc.set_repeat(gif::Repeat::Infinite)
            .map_err(std::io::Error::other)?;
        // Maps have few distinct colours: look each up once.
        let mut lookup: std::collections::HashMap<[u8; 4], u8> = std::collections::HashMap::new();
        for f in frames {
            let (w2, h2, px) = load(f)?;
            if (w2, h2) != (fw, fh) {
                return Err(std::io::Error::other(format!(
                    "{}: {w2}x{h2}, the first map is {fw}x{fh}",
                    f.display()
                )));
            }
            let indices: Vec<u8> = px
                .chunks_exact(4)
                .map(|p| {
                    let key = [p[0], p[1], p[2], 255];
                    *lookup.entry(key).or_insert_with(|| nq.index_of(&key) as u8)
                })
                .collect();
            let frame = gif::Frame {
                width: gw,
                height: gh,
                buffer: std::borrow::Cow::Owned(indices),
                delay: (hold_ms / 10).max(1),
                ..gif::Frame::default()
            };
            enc.write_frame(&frame).map_err(std::io::Error::other)?;
        }
        Ok(())
    })
}

/// An animation by the file's extension: `.gif`, or `.png`/`.apng` (APNG).
pub fn write(frames: &[std::path::PathBuf], out: &Path, hold_ms: u16) -> std::io::Result<()> {
    match out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .as_deref()
    {
        Some("gif") => gif(frames, out, hold_ms),
        Some("png" | "apng") => apng(frames, out, hold_ms),
        _ => Err(std::io::Error::other(format!(
            "{}: expected an animation file ending in .gif, .png or .apng",
            out.display()
        ))),
    }
}

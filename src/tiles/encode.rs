//! PNG encoding for tiles: fast RGB by default, palette and strongest deflate with
//! `--png best`, and a one-colour tile as a tiny 1-bit palette PNG, encoded once.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How hard to compress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PngMode {
    /// Fast deflate, RGB: tiles come out quickly.
    #[default]
    Fast,
    /// A palette where a tile has at most 256 colours, and the strongest deflate.
    Best,
}

/// The colour of a tile whose pixels are all the same, if they are.
pub fn uniform(rgba: &[u8]) -> Option<[u8; 4]> {
    let first: [u8; 4] = rgba.get(..4)?.try_into().ok()?;
    rgba.chunks_exact(4).all(|p| p == first).then_some(first)
}

/// Un-premultiplied RGBA (tiny-skia stores premultiplied alpha; maps are opaque, so
/// this is usually a copy).
fn straight(rgba: &[u8]) -> Vec<u8> {
    let mut data = rgba.to_vec();
    for px in data.chunks_exact_mut(4) {
        let a = px[3];
        if a != 255 && a != 0 {
            for c in &mut px[..3] {
                *c = ((u16::from(*c) * 255 + u16::from(a) / 2) / u16::from(a)) as u8;
            }
        }
    }
    data
}

/// Encodes premultiplied RGBA pixels of a `size`×`size` tile.
pub fn encode(rgba: &[u8], size: u32, mode: PngMode) -> Result<Vec<u8>, png::EncodingError> {
    let data = straight(rgba);
    let opaque = data.chunks_exact(4).all(|p| p[3] == 255);
    if mode == PngMode::Best
        && let Some((palette, indices)) = palette(&data)
    {
        return write(
            size,
            &indices,
            png::ColorType::Indexed,
            Some(&palette),
            png::Compression::Best,
        );
    }
    let compression = match mode {
        PngMode::Fast => png::Compression::Fast,
        PngMode::Best => png::Compression::Best,
    };
    if opaque {
        let rgb: Vec<u8> = data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        write(size, &rgb, png::ColorType::Rgb, None, compression)
    } else {
        write(size, &data, png::ColorType::Rgba, None, compression)
    }
}

/// The palette (RGBA entries) and 8-bit indices, when there are at most 256 colours.
fn palette(data: &[u8]) -> Option<(Vec<[u8; 4]>, Vec<u8>)> {
    let mut map: HashMap<[u8; 4], u8> = HashMap::new();
    let mut entries = Vec::new();
    let mut indices = Vec::with_capacity(data.len() / 4);
    for p in data.chunks_exact(4) {
        let key = [p[0], p[1], p[2], p[3]];
        let i = match map.get(&key) {
            Some(&i) => i,
            None => {
                let i = u8::try_from(entries.len()).ok()?;
                map.insert(key, i);
                entries.push(key);
                i
            }
        };
        indices.push(i);
    }
    Some((entries, indices))
}

fn write(
    size: u32,
    data: &[u8],
    color: png::ColorType,
    palette: Option<&[[u8; 4]]>,
    compression: png::Compression,
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size, size);
        enc.set_color(color);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(compression);
        if let Some(p) = palette {
            enc.set_palette(
                p.iter()
                    .flat_map(|c| [c[0], c[1], c[2]])
                    .collect::<Vec<u8>>(),
            );
            if p.iter().any(|c| c[3] != 255) {
                enc.set_trns(p.iter().map(|c| c[3]).collect::<Vec<u8>>());
            }
            enc.set_filter(png::FilterType::NoFilter);
        } else if matches!(compression, png::Compression::Fast) {
            enc.set_filter(png::FilterType::Up);
        } else {
            enc.set_filter(png::FilterType::Paeth);
            enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        }
        let mut w = enc.write_header()?;
        w.write_image_data(data)?;
    }
    Ok(out)
}

/// A 1-bit palette PNG of one colour.
pub fn solid(color: [u8; 4], size: u32) -> Result<Vec<u8>, png::EncodingError> {
    let c = straight(&color);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size, size);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::One);
        enc.set_palette(vec![c[0], c[1], c[2]]);
        if c[3] != 255 {
            enc.set_trns(vec![c[3]]);
        }
        enc.set_compression(png::Compression::Best);
        let mut w = enc.write_header()?;
        let row = (size as usize).div_ceil(8);
        w.write_image_data(&vec![0u8; row * size as usize])?;
    }
    Ok(out)
}

/// One-colour tiles encoded once per colour and size, shared by every worker.
#[derive(Debug, Default)]
pub struct SolidCache {
    map: RwLock<HashMap<SolidKey, Arc<[u8]>>>,
}

/// A colour and a tile size.
type SolidKey = ([u8; 4], u32);

impl SolidCache {
    /// The PNG of a `size` tile of `color`.
    pub fn get(&self, color: [u8; 4], size: u32) -> Result<Arc<[u8]>, png::EncodingError> {
        if let Some(b) = self
            .map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(color, size))
        {
            return Ok(b.clone());
        }
        let bytes: Arc<[u8]> = solid(color, size)?.into();
        self.map
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert((color, size), bytes.clone());
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
        dec.set_transformations(png::Transformations::EXPAND);
        let mut r = dec.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size()];
        let info = r.next_frame(&mut buf).unwrap();
        (info, buf)
    }

    #[test]
    fn solid_tiles_are_tiny_and_decode_to_their_colour() {
        let png = solid([207, 227, 240, 255], 256).unwrap();
        assert!(png.len() < 200, "{} bytes", png.len());
        let (info, buf) = decode(&png);
        assert_eq!((info.width, info.height), (256, 256));
        assert_eq!(&buf[..3], &[207, 227, 240]);
        assert!(buf.chunks_exact(3).all(|p| p == [207, 227, 240]));
    }

    #[test]
    fn best_uses_a_palette_and_decodes_to_the_same_pixels() {
        let mut rgba = Vec::new();
        for i in 0..(64 * 64) {
            rgba.extend_from_slice(&[(i % 7) as u8 * 30, 100, 200, 255]);
        }
        let fast = encode(&rgba, 64, PngMode::Fast).unwrap();
        let best = encode(&rgba, 64, PngMode::Best).unwrap();
        let (fi, fb) = decode(&fast);
        let (bi, bb) = decode(&best);
        assert_eq!(fi.color_type, png::ColorType::Rgb);
        assert_eq!(bi.color_type, png::ColorType::Rgb, "palette expands to RGB");
        assert_eq!(fb, bb);
        assert!(best.len() < fast.len());
    }

    #[test]
    fn uniform_detects_one_colour() {
        assert_eq!(uniform(&[1, 2, 3, 255, 1, 2, 3, 255]), Some([1, 2, 3, 255]));
        assert_eq!(uniform(&[1, 2, 3, 255, 1, 2, 4, 255]), None);
    }
}

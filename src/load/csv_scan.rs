//! A first pass over a CSV file, streamed: its encoding, its header line, where its lines
//! break, and whether a quote is left open. The second pass (`csv::from_*`) then streams the
//! rows without holding the file in memory (UTF-8 files, nearly all of them); a
//! Windows-1252 or UTF-16 file is decoded whole first.

use std::io::Read;

/// Windows-1252 code points for bytes 0x80–0x9F (the rest of the upper half is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// How the file's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with `bom` bytes of byte-order mark (0 or 3) to skip.
    Utf8 {
        /// Length of the byte-order mark.
        bom: usize,
    },
    /// Not UTF-8: read as Windows-1252.
    Cp1252,
    /// UTF-16 with a byte-order mark (spreadsheets' "Unicode text").
    Utf16,
}

/// What the first pass found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The text's encoding.
    pub encoding: Encoding,
    /// The first line (the header), up to 64 KiB, lossily decoded.
    pub first_line: String,
    /// Byte offsets of every `\n`.
    pub newlines: Vec<u64>,
    /// Byte offsets of every `\r`.
    pub returns: Vec<u64>,
    /// The 1-based line where a quoted field opens and is never closed.
    pub unterminated: Option<u64>,
    /// Whether the file holds nothing but white space.
    pub blank: bool,
}

impl Scan {
    /// The 1-based line of a record that starts at `byte` (csv's position, which after a
    /// CRLF points at the `\n` of the line before).
    pub fn line_at(&self, byte: u64) -> u64 {
        let mut b = byte;
        while self.returns.binary_search(&b).is_ok() || self.newlines.binary_search(&b).is_ok() {
            b += 1;
        }
        self.newlines.partition_point(|&nl| nl < b) as u64 + 1
    }
}

/// Scans a file's bytes in one streamed pass.
pub fn scan(mut r: impl Read) -> std::io::Result<Scan> {
    let mut buf = vec![0u8; 1 << 16];
    let mut s = Scan {
        encoding: Encoding::Utf8 { bom: 0 },
        first_line: String::new(),
        newlines: Vec::new(),
        returns: Vec::new(),
        unterminated: None,
        blank: true,
    };
    let mut first_line = Vec::new();
    let mut in_first_line = true;
    let (mut open, mut line, mut opened_at, mut at_field_start) = (false, 1u64, 0u64, true);
    let mut utf8_ok = true;
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0u64;
    let mut start = true;
    loop {
        let mut n = r.read(&mut buf)?;
        // The byte-order mark is judged on at least four bytes, however the reads fall.
        while start && n > 0 && n < 4 {
            let more = r.read(&mut buf[n..])?;
            if more == 0 {
                break;
            }
            n += more;
        }
        if n == 0 {
            break;
        }
        let mut chunk = &buf[..n];
        if start {
            start = false;
            if chunk.starts_with(&[0xFF, 0xFE]) || chunk.starts_with(&[0xFE, 0xFF]) {
                s.encoding = Encoding::Utf16;
                s.blank = false;
                return Ok(s);
            }
            if chunk.starts_with(b"\xEF\xBB\xBF") {
                s.encoding = Encoding::Utf8 { bom: 3 };
                chunk = &chunk[3..];
                offset = 3;
            }
        }
        if utf8_ok {
            carry.extend_from_slice(chunk);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() => {
                    carry.drain(..e.valid_up_to());
                }
                Err(_) => utf8_ok = false,
            }
        }
        for (i, &b) in chunk.iter().enumerate() {
            let at = offset + i as u64;
            if in_first_line {
                if b == b'\n' || first_line.len() >= 1 << 16 {
                    in_first_line = false;
                } else {
                    first_line.push(b);
                }
            }
            if s.blank && !b.is_ascii_whitespace() {
                s.blank = false;
            }
            match b {
                b'"' if open => open = false,
                b'"' if at_field_start => {
                    open = true;
                    opened_at = line;
                }
                b'\n' => {
                    s.newlines.push(at);
                    line += 1;
                    if !open {
                        at_field_start = true;
                    }
                    continue;
                }
                b'\r' => s.returns.push(at),
                _ => {}
            }
            if !open {
                at_field_start = matches!(b, b',' | b';' | b'\t');
            }
        }
        offset += chunk.len() as u64;
    }
    if !carry.is_empty() {
        utf8_ok = false;
    }
    if !utf8_ok {
        s.encoding = Encoding::Cp1252;
    }
    s.unterminated = open.then_some(opened_at);
    let first_line = first_line.strip_suffix(b"\r").unwrap_or(&first_line);
    s.first_line = String::from_utf8_lossy(first_line).into_owned();
    Ok(s)
}

/// The text of a UTF-16 file with a byte-order mark.
pub fn utf16(bytes: &[u8]) -> String {
    let (le, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => (true, bytes),
    };
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Bytes read as Windows-1252.
pub fn cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one byte at a time, so every multi-byte character straddles a read.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((&b, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = b;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn utf8_split_across_reads_is_utf8_and_lines_are_counted() {
        let text = "\u{feff}id,name\r\n1,\"Spīn Bōldak\"\r\n2,\"two\nlines\"\r\n";
        let s = scan(Trickle(text.as_bytes())).unwrap();
        assert_eq!(s.encoding, Encoding::Utf8 { bom: 3 });
        assert_eq!(s.first_line, "id,name");
        assert_eq!(s.newlines.len(), 4);
        assert_eq!(s.unterminated, None);
        assert!(!s.blank);
        // The third record starts after the second CRLF: line 3.
        let second_crlf = s.returns[1];
        assert_eq!(s.line_at(second_crlf), 3);
    }

    #[test]
    fn cp1252_utf16_blank_and_open_quote() {
        assert_eq!(
            scan(&b"a,b\n1,caf\xe9\n"[..]).unwrap().encoding,
            Encoding::Cp1252
        );
        assert_eq!(cp1252(b"caf\xe9 \x80"), "café €");
        assert_eq!(
            scan(&b"\xff\xfea\x00"[..]).unwrap().encoding,
            Encoding::Utf16
        );
        assert_eq!(utf16(b"\xff\xfea\x00,\x00"), "a,");
        assert!(scan(&b" \n\t\n"[..]).unwrap().blank);
        let s = scan(&b"a,b\n1,\"open\n2,x\n3,y\n"[..]).unwrap();
        assert_eq!(s.unterminated, Some(2));
    }
}

//! Turning a file's bytes into text: UTF-8 (with or without a byte-order mark) and UTF-16 with a
//! byte-order mark, which is what Excel's "Unicode text" export writes. Anything else is an error
//! that says what was found, never a silent lossy conversion (which would corrupt names).

use crate::error::{Error, Location};
use std::borrow::Cow;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// The text of `bytes`, without its byte-order mark. Borrowed when the input is UTF-8.
pub fn decode<'a>(bytes: &'a [u8], at: &Location) -> Result<Cow<'a, str>, Error> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return utf8(rest, UTF8_BOM.len(), at).map(Cow::Borrowed);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes, at).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes, at).map(Cow::Owned);
    }
    utf8(bytes, 0, at).map(Cow::Borrowed)
}

fn utf8<'a>(bytes: &'a [u8], offset: usize, at: &Location) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|err| {
        let position = offset + err.valid_up_to();
        let byte = bytes.get(err.valid_up_to()).copied().unwrap_or_default();
        // Text with a NUL in every other byte is UTF-16 that lost its byte-order mark.
        let hint = if bytes.iter().take(64).filter(|b| **b == 0).count() > 8 {
            "; this looks like UTF-16 without a byte-order mark: save it as UTF-8"
        } else {
            "; save the file as UTF-8 (or UTF-16 with a byte-order mark)"
        };
        Error::format(
            at.clone(),
            format!("not UTF-8 text: invalid byte 0x{byte:02X} at byte offset {position}{hint}"),
        )
    })
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16, at: &Location) -> Result<String, Error> {
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::format(
            at.clone(),
            format!("UTF-16 text with an odd number of bytes ({}): the file is cut short", bytes.len() + 2),
        ));
    }
    let units = bytes.chunks_exact(2).map(|pair| read([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (index, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(ch) => text.push(ch),
            Err(err) => {
                return Err(Error::format(
                    at.clone(),
                    format!(
                        "invalid UTF-16: unpaired surrogate 0x{:04X} at byte offset {}",
                        err.unpaired_surrogate(),
                        2 + 2 * index
                    ),
                ));
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Location {
        Location::file(std::path::Path::new("t.csv"))
    }

    #[test]
    fn boms_are_stripped_and_utf16_is_decoded() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b", &at()).unwrap(), "a,b");
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Türkiye".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&le, &at()).unwrap(), "Türkiye");
        let be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain("中国".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&be, &at()).unwrap(), "中国");
    }

    #[test]
    fn latin1_and_cut_utf16_are_errors_that_say_why() {
        let err = decode(b"T\xFCrkiye", &at()).unwrap_err().to_string();
        assert!(err.contains("t.csv") && err.contains("0xFC") && err.contains("offset 1"), "{err}");
        assert!(decode(&[0xFF, 0xFE, 0x41], &at()).is_err());
        assert!(decode(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00], &at()).is_err());
    }
}

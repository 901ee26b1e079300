use thiserror::Error;

/// Why bytes are not usable as model text.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TextError {
    /// Zero bytes, or only whitespace.
    #[error("the file is empty")]
    Empty,
    /// A NUL byte: not a text file at all.
    #[error("the file looks binary (it contains a NUL byte at byte {offset}), not YAML or JSON")]
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// A UTF-16 or UTF-32 byte-order mark.
    #[error("the file is encoded as UTF-16 or UTF-32, not UTF-8")]
    WideEncoding,
    /// Bytes that are not UTF-8.
    #[error("the file is not valid UTF-8 (invalid byte at offset {offset})")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
}

/// Checks that bytes are UTF-8 text and returns it without a byte-order mark.
pub fn decode_text(bytes: &[u8]) -> Result<String, TextError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(TextError::WideEncoding);
    }
    if let Some(offset) = bytes.iter().position(|&byte| byte == 0) {
        return Err(TextError::Binary { offset });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);

    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            return Err(TextError::InvalidUtf8 {
                offset: error.valid_up_to(),
            });
        }
    };

    if text.trim().is_empty() {
        return Err(TextError::Empty);
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_text() {
        assert_eq!(decode_text(b""), Err(TextError::Empty));
        assert_eq!(decode_text(b" \n\t"), Err(TextError::Empty));
        assert_eq!(decode_text(b"a\0b"), Err(TextError::Binary { offset: 1 }));
        assert_eq!(decode_text(b"\xFF\xFEa\0"), Err(TextError::WideEncoding));
        assert!(matches!(
            decode_text(b"ab\xC3("),
            Err(TextError::InvalidUtf8 { offset: 2 })
        ));
    }

    #[test]
    fn strips_a_utf8_byte_order_mark() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa: 1").as_deref(), Ok("a: 1"));
    }
}

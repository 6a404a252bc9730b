//! An attach log saved as UTF-16 (Windows PowerShell 5.1's `>`, Notepad's "Unicode") is read as
//! the UTF-8 text it holds, so the rules match it (realworld kk F2: it read as "nothing
//! recognisable"). Anything else passes through unchanged.

use std::io::{self, Read};

/// Bytes looked at to tell UTF-16 without a byte-order mark.
const SNIFF: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

/// A reader that yields `inner`'s bytes, or, when they are UTF-16 text, that text as UTF-8.
pub struct Utf8Reader<R> {
    inner: R,
    /// `None` until the first bytes are seen; then the UTF-16 byte order, if any.
    order: Option<Option<Order>>,
    /// Bytes to hand out before reading more (the sniffed head, or decoded text).
    ready: Vec<u8>,
    at: usize,
    /// UTF-16 bytes not decoded yet (an odd byte, a high surrogate waiting for its pair).
    carry: Vec<u8>,
    eof: bool,
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(inner: R) -> Self {
        Utf8Reader { inner, order: None, ready: Vec::new(), at: 0, carry: Vec::new(), eof: false }
    }

    /// Reads until `buf` holds `want` bytes or the input ends.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> io::Result<()> {
        let mut chunk = [0u8; SNIFF];
        while buf.len() < want && !self.eof {
            match self.inner.read(&mut chunk[..(want - buf.len()).min(SNIFF)]) {
                Ok(0) => self.eof = true,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn decide(&mut self) -> io::Result<()> {
        let mut head = Vec::with_capacity(SNIFF);
        self.fill(&mut head, SNIFF)?;
        let order = sniff(&head);
        match order {
            None => self.ready = head,
            Some(_) => {
                let bom = matches!(head.get(..2), Some([0xff, 0xfe] | [0xfe, 0xff]));
                self.carry = head[if bom { 2 } else { 0 }..].to_vec();
            }
        }
        self.order = Some(order);
        Ok(())
    }

    /// Decodes the carried bytes (and more read from the input) into `ready`.
    fn decode_more(&mut self, order: Order) -> io::Result<()> {
        let mut bytes = std::mem::take(&mut self.carry);
        let want = bytes.len() + 64 * 1024;
        self.fill(&mut bytes, want)?;
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|p| match order {
                Order::Little => u16::from_le_bytes([p[0], p[1]]),
                Order::Big => u16::from_be_bytes([p[0], p[1]]),
            })
            .collect();
        let mut used = units.len();
        // A high surrogate at the end waits for its pair from the next read.
        if !self.eof && units.last().is_some_and(|u| (0xd800..0xdc00).contains(u)) {
            used -= 1;
        }
        self.carry = bytes[used * 2..].to_vec();
        if self.eof && self.carry.len() == 1 {
            self.carry.clear();
        }
        self.ready.clear();
        self.at = 0;
        for c in char::decode_utf16(units[..used].iter().copied()) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            let mut b = [0u8; 4];
            self.ready.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
        Ok(())
    }
}

/// UTF-16 by its byte-order mark, or by a NUL in every other byte of ASCII text (most
/// lines of a log are ASCII). A mark before text that is not UTF-16 (junk bytes that happen to
/// be `FF FE` before a log line) is no mark: at least half the characters after it must be
/// ASCII in that byte order.
fn sniff(head: &[u8]) -> Option<Order> {
    let nul_at =
        |h: &[u8], k: usize| h.chunks_exact(2).filter(|p| p[k] == 0 && p[1 - k] != 0).count();
    let marked = match head.get(..2) {
        Some([0xff, 0xfe]) => Some((Order::Little, 1)),
        Some([0xfe, 0xff]) => Some((Order::Big, 0)),
        _ => None,
    };
    if let Some((order, k)) = marked {
        let text = &head[2..];
        let pairs = text.len() / 2;
        return (pairs > 0 && nul_at(text, k) * 2 >= pairs).then_some(order);
    }
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let nul_at = |k: usize| nul_at(head, k);
    let (odd, even) = (nul_at(1), nul_at(0));
    // (A character beyond the first plane puts a NUL on the other side now and then.)
    if odd * 10 >= pairs * 9 && even * 20 <= pairs {
        Some(Order::Little)
    } else if even * 10 >= pairs * 9 && odd * 20 <= pairs {
        Some(Order::Big)
    } else {
        None
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.order.is_none() {
            self.decide()?;
        }
        loop {
            if self.at < self.ready.len() {
                let n = buf.len().min(self.ready.len() - self.at);
                buf[..n].copy_from_slice(&self.ready[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            match self.order.flatten() {
                // The end already seen is not read again (a terminal would wait for another
                // Ctrl-D).
                None if self.eof => return Ok(0),
                None => return self.inner.read(buf),
                Some(_) if self.eof && self.carry.is_empty() => return Ok(0),
                Some(order) => self.decode_more(order)?,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        Utf8Reader::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    fn utf16(text: &str, order: Order, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for u in std::iter::once(0xfeff).filter(|_| bom).chain(text.encode_utf16()) {
            out.extend(match order {
                Order::Little => u.to_le_bytes(),
                Order::Big => u.to_be_bytes(),
            });
        }
        out
    }

    #[test]
    fn utf16_in_either_order_with_or_without_a_mark_reads_as_utf8() {
        let text = "Log File: /var/tmp/z1.attach_log.AbCd12\r\n  Reject:  pkg://omnios/web/php-56 — ü 😀\r\nResult: Attach Failed.\r\n".repeat(400);
        for order in [Order::Little, Order::Big] {
            for bom in [true, false] {
                assert_eq!(read_all(&utf16(&text, order, bom)), text.as_bytes(), "{order:?} {bom}");
            }
        }
    }

    #[test]
    fn anything_else_passes_through() {
        for bytes in [
            b"Log File: /var/tmp/z1.attach_log.AbCd12\n".as_slice(),
            b"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
            b"ab",
            b"",
            "\u{feff}UTF-8 with its mark\n".as_bytes(),
        ] {
            assert_eq!(read_all(bytes), bytes);
        }
    }
}

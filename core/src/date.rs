//! The calendar (days since 1970-01-01 to and from a proleptic Gregorian date, Howard Hinnant's
//! algorithms: the one copy in the repository, the sandbox's timestamps use it too) and HTTP
//! dates (RFC 9110 §5.6.7: IMF-fixdate and the obsolete RFC 850 and asctime forms), read from
//! `Retry-After` and a callback's `Date` header.
//!
//! Hand-written rather than through the `httpdate` crate, which accepts exactly the same texts
//! (the tests below compare the two on valid and mangled dates): its parser and the
//! `Debug` formatting its round-trip check links were 7 KB of the browser build, over its size
//! budget.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DAYS: [&[u8]; 7] = [
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
    b"Sunday",
];
const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// The fields of a date as written: weekday (0 = Monday), day, month (1–12), year, h, min, s.
type Fields = (usize, u32, u32, u32, u32, u32, u32);

/// The time an HTTP date names (surrounding whitespace ignored), or `None` when `s` is not one:
/// a malformed text, a day the month does not have, a weekday that is not that date's, or a
/// year outside 1970–9999.
pub(crate) fn parse_http_date(s: &str) -> Option<SystemTime> {
    if !s.is_ascii() {
        return None;
    }
    let b = s.trim().as_bytes();
    let (wday, day, mon, year, hour, min, sec) = imf_fixdate(b)
        .or_else(|| rfc850(b))
        .or_else(|| asctime(b))?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match mon {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if sec >= 60
        || min >= 60
        || hour >= 24
        || day == 0
        || day > month_days
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    // The year is 1970 or later: the day count is not negative.
    let days = days_from_civil(i64::from(year), mon, day) as u64;
    // 1970-01-01 was a Thursday (3, counting from Monday).
    if (days + 3) % 7 != wday as u64 {
        return None;
    }
    let secs = days * 86_400 + u64::from(hour * 3600 + min * 60 + sec);
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Days since 1970-01-01 of the proleptic Gregorian date `year`-`month`-`day` (month 1–12;
/// the day is not checked against the month). Years count from March, so a leap day is the last
/// day of its year.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * i64::from((month + 9) % 12) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `(year, month 1–12, day)` that is `days` days after 1970-01-01
/// (negative: before): the inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400;
    (if month <= 2 { year + 1 } else { year }, month, day)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn imf_fixdate(b: &[u8]) -> Option<Fields> {
    if b.len() != 29
        || &b[3..5] != b", "
        || b[7] != b' '
        || b[11] != b' '
        || b[16] != b' '
        || b[19] != b':'
        || b[22] != b':'
        || &b[25..] != b" GMT"
    {
        return None;
    }
    Some((
        weekday(&b[..3])?,
        num(&b[5..7])?,
        month(&b[8..11])?,
        num(&b[12..16])?,
        num(&b[17..19])?,
        num(&b[20..22])?,
        num(&b[23..25])?,
    ))
}

/// `Sunday, 06-Nov-94 08:49:37 GMT` (years 70–99 are 19xx, 00–69 20xx).
fn rfc850(b: &[u8]) -> Option<Fields> {
    let wday = DAYS
        .iter()
        .position(|d| b.starts_with(d) && b[d.len()..].starts_with(b", "))?;
    let r = &b[DAYS[wday].len() + 2..];
    // As httpdate: the character between year and hour is not checked.
    if r.len() != 22 || r[2] != b'-' || r[6] != b'-' || r[12] != b':' || r[15] != b':' {
        return None;
    }
    if &r[18..] != b" GMT" {
        return None;
    }
    let yy = num(&r[7..9])?;
    Some((
        wday,
        num(&r[..2])?,
        month(&r[3..6])?,
        if yy < 70 { 2000 + yy } else { 1900 + yy },
        num(&r[10..12])?,
        num(&r[13..15])?,
        num(&r[16..18])?,
    ))
}

/// `Sun Nov  6 08:49:37 1994`
fn asctime(b: &[u8]) -> Option<Fields> {
    if b.len() != 24
        || b[3] != b' '
        || b[7] != b' '
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b' '
    {
        return None;
    }
    Some((
        weekday(&b[..3])?,
        if b[8] == b' ' {
            num(&b[9..10])?
        } else {
            num(&b[8..10])?
        },
        month(&b[4..7])?,
        num(&b[20..24])?,
        num(&b[11..13])?,
        num(&b[14..16])?,
        num(&b[17..19])?,
    ))
}

/// Decimal digits only.
fn num(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

fn month(name: &[u8]) -> Option<u32> {
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

/// A three-letter weekday, 0 for Monday.
fn weekday(name: &[u8]) -> Option<usize> {
    DAYS.iter().position(|d| &d[..3] == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        assert_eq!(
            parse_http_date(text),
            httpdate::parse_http_date(text).ok(),
            "{text:?}"
        );
    }

    /// The three forms of `t`.
    fn forms(t: SystemTime) -> [String; 3] {
        let imf = httpdate::fmt_http_date(t);
        // "Sun, 06 Nov 1994 08:49:37 GMT" → the other two forms, from its parts.
        let (wd, day, mon, year, time) = (
            &imf[..3],
            &imf[5..7],
            &imf[8..11],
            &imf[12..16],
            &imf[17..25],
        );
        let full = std::str::from_utf8(DAYS[weekday(wd.as_bytes()).unwrap()]).unwrap();
        let rfc850 = format!("{full}, {day}-{mon}-{} {time} GMT", &year[2..]);
        let spaced = match day.strip_prefix('0') {
            Some(digit) => format!(" {digit}"),
            None => day.to_owned(),
        };
        let asctime = format!("{wd} {mon} {spaced} {time} {year}");
        [imf, rfc850, asctime]
    }

    #[test]
    fn the_calendar_round_trips_and_knows_its_leap_days() {
        for days in (-800_000..3_000_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(days_from_civil(2017, 12, 12), 17_512);
    }

    #[test]
    fn known_forms() {
        let t = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(t));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(t));
        assert_eq!(
            parse_http_date("  Sun, 06 Nov 1994 08:49:37 GMT\t"),
            Some(t)
        );
        assert_eq!(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Thu, 29 Feb 2001 00:00:00 GMT"), None);
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(UNIX_EPOCH)
        );
    }

    #[test]
    fn as_httpdate_on_valid_and_mangled_dates() {
        let mut rng = fastrand::Rng::with_seed(9110);
        let bytes = b" ,:-0123456789GMTSunMonFebDecaeyx\t\xc3";
        for _ in 0..20_000 {
            // 1970 to 9999, with extra weight on leap days and the ends of months.
            let secs = match rng.u8(..4) {
                0 => rng.u64(..253_402_300_800),
                1 => rng.u64(..4_102_444_800),
                _ => rng.u64(..2_000) * 86_400 * 365 / 4 + rng.u64(..86_400),
            };
            for form in forms(UNIX_EPOCH + Duration::from_secs(secs)) {
                same(&form);
                let mut b = form.clone().into_bytes();
                match rng.u8(..3) {
                    0 => {
                        let at = rng.usize(..b.len());
                        b[at] = bytes[rng.usize(..bytes.len())];
                    }
                    1 => {
                        b.remove(rng.usize(..b.len()));
                    }
                    _ => b.insert(rng.usize(..=b.len()), bytes[rng.usize(..bytes.len())]),
                }
                if let Ok(text) = String::from_utf8(b) {
                    same(&text);
                }
            }
        }
    }
}

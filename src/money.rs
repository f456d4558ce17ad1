//! Money: integer cents everywhere, shown in the company's currency (ONRAMP_CURRENCY),
//! typed exactly without floating point.

/// The company's currency as an ISO 4217 code, with the symbol people expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub code: String,
    symbol: String,
}

impl Default for Currency {
    fn default() -> Self {
        Currency::from_code("USD").expect("USD is known")
    }
}

impl Currency {
    /// A three-letter code; the common ones get their symbol, others show the code.
    pub fn from_code(code: &str) -> Result<Currency, String> {
        let code = code.trim().to_ascii_uppercase();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "{code:?} is not a three-letter currency code like USD"
            ));
        }
        let symbol = match code.as_str() {
            "USD" => "$",
            "CAD" => "CA$",
            "AUD" => "A$",
            "EUR" => "€",
            "GBP" => "£",
            "JPY" => "¥",
            _ => "",
        };
        let symbol = if symbol.is_empty() {
            format!("{code} ")
        } else {
            symbol.to_string()
        };
        Ok(Currency { code, symbol })
    }

    /// Cents as "$2,740.50" (a minus sign in front when negative).
    pub fn format(&self, cents: i64) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let cents = cents.unsigned_abs();
        let whole = (cents / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{sign}{}{grouped}.{:02}", self.symbol, cents % 100)
    }
}

/// An amount typed as "2000", "2,000.50" or "$2000.5" into cents, exactly: an optional
/// currency sign, digits (commas between thousands allowed), then optionally a point and
/// one or two digits. No signs or exponents. `what` names the field in the message.
pub fn parse_cents(input: &str, what: &str) -> Result<i64, String> {
    let format = format!("Type the {what} as an amount like 2,000.00.");
    let s = input.trim();
    if s.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    let s = s.trim_start_matches(|c: char| !c.is_ascii_digit() && "$€£¥".contains(c));
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let whole: String = groups.concat();
    if !digits(&whole) || !grouped_ok || whole.len() > 9 {
        return Err(format);
    }
    let cents = match frac {
        None => 0,
        Some(f) if digits(f) && f.len() <= 2 => {
            let v: i64 = f.parse().map_err(|_| format.clone())?;
            if f.len() == 1 {
                v * 10
            } else {
                v
            }
        }
        Some(_) => return Err(format),
    };
    let whole: i64 = whole.parse().map_err(|_| format.clone())?;
    Ok(whole * 100 + cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_thousands_and_symbol() {
        let usd = Currency::default();
        assert_eq!(usd.format(0), "$0.00");
        assert_eq!(usd.format(5), "$0.05");
        assert_eq!(usd.format(200_000), "$2,000.00");
        assert_eq!(usd.format(123_456_789), "$1,234,567.89");
        assert_eq!(usd.format(-1850), "-$18.50");
        assert_eq!(Currency::from_code("eur").unwrap().format(99), "€0.99");
        assert_eq!(Currency::from_code("CHF").unwrap().format(100), "CHF 1.00");
        assert!(Currency::from_code("dollars").is_err());
    }

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_cents("2000", "bonus"), Ok(200_000));
        assert_eq!(parse_cents("$2,000.5", "bonus"), Ok(200_050));
        assert_eq!(parse_cents(" 0.07 ", "bonus"), Ok(7));
        for bad in ["", "2.005", "-5", "2,00", "1e3", "12,3456", "two"] {
            assert!(parse_cents(bad, "bonus").is_err(), "{bad}");
        }
    }
}

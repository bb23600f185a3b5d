//! Whether a document is in force on the build date, and since when.
//!
//! Computed, not written: a page saying "in force" goes stale the day a replacing law takes
//! effect, and nobody edits a summary on that day. So status comes from the document's own
//! dates, the documents that replace it, and the build date (`--today`); an editor only
//! writes `status` for what dates cannot say (partly in force, not verified).

use time::Date;

/// The status codes, which are also the values `status:` accepts in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusCode {
    /// `effective` is after the build date.
    NotYetInForce,
    /// In force.
    InForce,
    /// Partly in force (only ever declared).
    PartlyInForce,
    /// Past `expires`, or replaced by a document now in force.
    NotInForce,
    /// Not verified (declared), or no date to compute from.
    Unknown,
}

impl StatusCode {
    /// Every code, in the order listings show them.
    pub const ALL: [StatusCode; 5] = [
        StatusCode::InForce,
        StatusCode::PartlyInForce,
        StatusCode::NotYetInForce,
        StatusCode::NotInForce,
        StatusCode::Unknown,
    ];

    /// Parses a front-matter value (already validated by `frontmatter`).
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "in_force" => Self::InForce,
            "not_in_force" => Self::NotInForce,
            "partly_in_force" => Self::PartlyInForce,
            "not_yet_in_force" => Self::NotYetInForce,
            "unknown" => Self::Unknown,
            _ => return None,
        })
    }

    /// The front-matter spelling.
    pub fn code(self) -> &'static str {
        match self {
            Self::InForce => "in_force",
            Self::NotInForce => "not_in_force",
            Self::PartlyInForce => "partly_in_force",
            Self::NotYetInForce => "not_yet_in_force",
            Self::Unknown => "unknown",
        }
    }

    /// The Vietnamese label citizens read.
    pub fn label(self) -> &'static str {
        match self {
            Self::InForce => "Còn hiệu lực",
            Self::NotInForce => "Hết hiệu lực",
            Self::PartlyInForce => "Còn hiệu lực một phần",
            Self::NotYetInForce => "Chưa có hiệu lực",
            Self::Unknown => "Chưa xác minh hiệu lực",
        }
    }

    /// The URL segment of the status facet (`/van-ban/hieu-luc/het-hieu-luc/`).
    pub fn slug(self) -> String {
        crate::text::slug(self.label())
    }

    /// The marker shown after a citation of a document in this state, if any: a citizen
    /// reading an answer must see at once that a cited rule no longer (or not yet) applies.
    pub fn marker(self) -> Option<&'static str> {
        match self {
            Self::NotInForce => Some("hết hiệu lực"),
            Self::NotYetInForce => Some("chưa có hiệu lực"),
            Self::PartlyInForce => Some("còn hiệu lực một phần"),
            Self::InForce | Self::Unknown => None,
        }
    }

    /// The CSS modifier of a citation of a document in this state.
    pub fn cite_class(self) -> &'static str {
        match self {
            Self::NotInForce => "cite cite--expired",
            Self::NotYetInForce => "cite cite--pending",
            Self::PartlyInForce => "cite cite--partial",
            Self::InForce | Self::Unknown => "cite",
        }
    }

    /// schema.org `LegalForceStatus`, when one fits.
    pub fn schema_org(self) -> Option<&'static str> {
        match self {
            Self::InForce => Some("https://schema.org/InForce"),
            Self::NotInForce | Self::NotYetInForce => Some("https://schema.org/NotInForce"),
            Self::PartlyInForce => Some("https://schema.org/PartiallyInForce"),
            Self::Unknown => None,
        }
    }
}

/// A document's status on the build date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// What it is.
    pub code: StatusCode,
    /// Since when (or, for "not yet", from when it will be in force).
    pub since: Option<Date>,
    /// The page of the document that replaced it, when that is why it is not in force.
    pub by: Option<usize>,
    /// Whether `status:` was written rather than computed.
    pub explicit: bool,
}

/// What the computation needs to know about one document.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Dates {
    /// `issued`.
    pub issued: Option<Date>,
    /// `effective`.
    pub effective: Option<Date>,
    /// `expires`.
    pub expires: Option<Date>,
}

/// A document that replaces this one: its page (if in the site) and when it took effect.
#[derive(Debug, Clone, Copy)]
pub(super) struct Replacer {
    /// Page of the replacing document; `None` when the site does not hold it.
    pub page: Option<usize>,
    /// Its `effective` date (or `issued`, when that is all we know).
    pub effective: Option<Date>,
}

/// Computes a status. `explicit` is the front-matter override, `replacers` every document
/// that replaces this one (declared on either side).
pub(super) fn compute(
    dates: Dates,
    explicit: Option<StatusCode>,
    replacers: &[Replacer],
    today: Date,
) -> Status {
    // The earliest replacement in force today decides when this one stopped.
    let replaced = replacers
        .iter()
        .filter(|r| r.effective.is_none_or(|d| d <= today))
        .min_by_key(|r| (r.effective.is_none(), r.effective));
    let expired = dates.expires.filter(|&d| d <= today);
    let ended = match (expired, replaced) {
        (Some(e), Some(r)) if r.effective.is_some_and(|d| d < e) => Some((r.effective, r.page)),
        (Some(e), _) => Some((Some(e), None)),
        (None, Some(r)) => Some((r.effective, r.page)),
        (None, None) => None,
    };
    if let Some(code) = explicit {
        let (since, by) = match code {
            StatusCode::NotInForce => ended.unwrap_or((None, None)),
            StatusCode::NotYetInForce | StatusCode::InForce | StatusCode::PartlyInForce => {
                (dates.effective, None)
            }
            StatusCode::Unknown => (None, None),
        };
        return Status {
            code,
            since,
            by,
            explicit: true,
        };
    }
    let (code, since, by) = if let Some((since, by)) = ended {
        (StatusCode::NotInForce, since, by)
    } else {
        match dates.effective {
            Some(d) if d > today => (StatusCode::NotYetInForce, Some(d), None),
            Some(d) => (StatusCode::InForce, Some(d), None),
            None => (StatusCode::Unknown, None, None),
        }
    };
    Status {
        code,
        since,
        by,
        explicit: false,
    }
}

/// Dates of one document that cannot all be true, as `(key to blame, message)`: a
/// document takes effect on or after its issue date, and expires after it takes effect.
pub(super) fn date_order(dates: Dates) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let show = crate::fields::format_date;
    if let (Some(issued), Some(effective)) = (dates.issued, dates.effective) {
        if effective < issued {
            out.push((
                "effective",
                format!(
                    "ngày có hiệu lực ({}) trước ngày ban hành ({})",
                    show(effective),
                    show(issued)
                ),
            ));
        }
    }
    if let (Some(start), Some(expires)) = (dates.effective.or(dates.issued), dates.expires) {
        if expires <= start {
            let what = if dates.effective.is_some() {
                "ngày có hiệu lực"
            } else {
                "ngày ban hành"
            };
            out.push((
                "expires",
                format!(
                    "ngày hết hiệu lực ({}) không sau {what} ({})",
                    show(expires),
                    show(start)
                ),
            ));
        }
    }
    out
}

/// A date as Vietnamese official texts write it: day and month padded to two digits only
/// below 10 for days and for January and February (`01/7/2025`, `26/02/2007`).
pub fn vi_date(date: Date) -> String {
    let month = u8::from(date.month());
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("{:02}/{month}/{}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    fn dates(effective: Option<Date>, expires: Option<Date>) -> Dates {
        Dates {
            issued: None,
            effective,
            expires,
        }
    }

    #[test]
    fn dates_decide_without_relations() {
        let s = compute(dates(Some(date!(2027 - 01 - 01)), None), None, &[], TODAY);
        assert_eq!(s.code, StatusCode::NotYetInForce);
        assert_eq!(s.since, Some(date!(2027 - 01 - 01)));
        let s = compute(dates(Some(TODAY), None), None, &[], TODAY);
        assert_eq!(s.code, StatusCode::InForce);
        let s = compute(
            dates(Some(date!(2020 - 01 - 01)), Some(TODAY)),
            None,
            &[],
            TODAY,
        );
        assert_eq!((s.code, s.since), (StatusCode::NotInForce, Some(TODAY)));
        let s = compute(dates(None, None), None, &[], TODAY);
        assert_eq!(s.code, StatusCode::Unknown);
    }

    #[test]
    fn a_replacement_counts_once_it_takes_effect() {
        let later = Replacer {
            page: Some(7),
            effective: Some(date!(2027 - 01 - 01)),
        };
        let d = dates(Some(date!(2010 - 01 - 01)), None);
        assert_eq!(compute(d, None, &[later], TODAY).code, StatusCode::InForce);
        let s = compute(d, None, &[later], date!(2027 - 01 - 01));
        assert_eq!(s.code, StatusCode::NotInForce);
        assert_eq!(s.since, Some(date!(2027 - 01 - 01)));
        assert_eq!(s.by, Some(7));
    }

    #[test]
    fn explicit_status_wins_but_keeps_the_replacement() {
        let r = Replacer {
            page: Some(3),
            effective: Some(date!(2025 - 07 - 01)),
        };
        let d = dates(Some(date!(2010 - 01 - 01)), None);
        let s = compute(d, Some(StatusCode::PartlyInForce), &[r], TODAY);
        assert_eq!(
            (s.code, s.by, s.explicit),
            (StatusCode::PartlyInForce, None, true)
        );
        let s = compute(d, Some(StatusCode::NotInForce), &[r], TODAY);
        assert_eq!(s.by, Some(3));
    }

    #[test]
    fn impossible_date_orders_blame_the_later_key() {
        let d = |i, e, x| Dates {
            issued: i,
            effective: e,
            expires: x,
        };
        let (a, b, c) = (
            Some(date!(2020 - 01 - 01)),
            Some(date!(2020 - 02 - 01)),
            Some(date!(2021 - 01 - 01)),
        );
        assert!(date_order(d(a, b, c)).is_empty());
        assert!(date_order(d(a, a, None)).is_empty());
        let keys = |v: Vec<(&'static str, String)>| v.into_iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(keys(date_order(d(b, a, None))), ["effective"]);
        assert_eq!(keys(date_order(d(None, c, b))), ["expires"]);
        assert_eq!(keys(date_order(d(c, None, b))), ["expires"]);
        assert_eq!(keys(date_order(d(c, a, b))), ["effective"]);
        assert_eq!(keys(date_order(d(b, c, a))), ["expires"]);
    }

    #[test]
    fn vietnamese_dates() {
        assert_eq!(vi_date(date!(2025 - 07 - 01)), "01/7/2025");
        assert_eq!(vi_date(date!(2007 - 02 - 26)), "26/02/2007");
        assert_eq!(vi_date(date!(2019 - 12 - 27)), "27/12/2019");
    }
}

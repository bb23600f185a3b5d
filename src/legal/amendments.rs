//! Amendments as a reader needs them: which documents changed this one, and whether each
//! change already applies on the build date.
//!
//! A decree amended last year reads differently from one whose amendment takes effect next
//! month, and a citizen checking a rule must see both: the applied amendments as part of the
//! text in force, the coming ones with the date they start. Like statuses, "applied" is
//! computed from dates and the build date, never written.

use super::relations::{dates, RelKind};
use super::LegalIndex;
use crate::content::ContentTree;
use time::Date;

/// One amendment seen from either side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Amendment {
    /// The other document's page, when the site holds it.
    pub page: Option<usize>,
    /// The other document's number as written.
    pub number: String,
    /// When the amendment takes effect: the amending document's `effective`.
    pub effective: Option<Date>,
    /// The amending document's `issued`, shown when `effective` is unknown.
    pub issued: Option<Date>,
    /// Whether it applies on the build date (no date known counts as applied: the
    /// relation was declared, so the change was made).
    pub applied: bool,
}

/// Both sides of a document's amendments, each ordered by date (undated last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Amendments {
    /// Documents amending this one.
    pub by: Vec<Amendment>,
    /// Documents this one amends; their dates are this document's own.
    pub of: Vec<Amendment>,
}

/// Whether a change made by a document with these dates applies on `today`.
fn applies(effective: Option<Date>, issued: Option<Date>, today: Option<Date>) -> bool {
    match (effective.or(issued), today) {
        (Some(d), Some(t)) => d <= t,
        _ => true,
    }
}

/// The amendments of a document page (empty for any other page).
pub(super) fn of_document(tree: &ContentTree, legal: &LegalIndex, page: usize) -> Amendments {
    let Some(doc) = legal.document(page) else {
        return Amendments::default();
    };
    let own = dates(tree, page);
    let mut out = Amendments::default();
    for r in doc.relations.iter().filter(|r| r.kind == RelKind::Amend) {
        let acting = if r.active {
            own
        } else {
            r.page.map(|p| dates(tree, p)).unwrap_or_default()
        };
        let a = Amendment {
            page: r.page,
            number: r.number.clone(),
            effective: acting.effective,
            issued: acting.issued,
            applied: applies(acting.effective, acting.issued, legal.today),
        };
        if r.active {
            out.of.push(a);
        } else {
            out.by.push(a);
        }
    }
    let order = |a: &Amendment| {
        let d = a.effective.or(a.issued);
        (d.is_none(), d, a.number.clone())
    };
    out.by.sort_by_key(order);
    out.of.sort_by_key(order);
    out
}

/// Whether a document's own changes (what it amends or replaces) apply on the build date.
pub(super) fn in_effect(tree: &ContentTree, legal: &LegalIndex, page: usize) -> bool {
    let d = dates(tree, page);
    applies(d.effective, d.issued, legal.today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_change_applies_from_its_effective_date() {
        let today = Some(date!(2026 - 07 - 01));
        assert!(applies(Some(date!(2026 - 07 - 01)), None, today));
        assert!(!applies(Some(date!(2026 - 07 - 02)), None, today));
        // The issue date stands in for an unknown effective date, and only then.
        assert!(applies(None, Some(date!(2026 - 01 - 01)), today));
        assert!(!applies(
            Some(date!(2027 - 01 - 01)),
            Some(date!(2026 - 01 - 01)),
            today
        ));
        assert!(applies(None, None, today));
    }
}

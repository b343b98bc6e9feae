//! The store's two shared definitions, as SQL fragments every read uses, so no query spells them
//! itself.
//!
//! **As of.** A fact (a plant's or project's dated state, a membership, a record's life until it
//! was retired) holds on a day D when it began on or before D and had not ended by D: an end date
//! is the first day it no longer holds (`valid_to`, `left_on` and `retired_on` are exclusive).
//! With no D (the latest view), there is no upper bound: whatever has begun holds unless it has
//! ended. The day is a bound parameter, ISO `YYYY-MM-DD` text or NULL, never a sentinel date;
//! `x > NULL` is NULL in SQL, so with no day only the facts with no end remain.
//!
//! Facts whose beginning is unknown follow docs/tracker-writes.md ("Dates as they are known"): a
//! member with no join date and no first report cannot be placed in time ([`as_of_held!`] leaves
//! it out of every dated list), while a pledge with no `stated` day or a partnership with no
//! `started` day is in every dated list ([`as_of_known_since!`]).
//!
//! **Operating.** A plant counts as operating when its status is one [`PlantStatus::is_operating`]
//! accepts (operating, and operating with a retirement announced); [`operating_in!`] is that list
//! in SQL, checked against the model by a test.
//!
//! [`PlantStatus::is_operating`]: decarb_model::PlantStatus::is_operating

/// Not ended by the day `$day` (or, with a NULL day, not ended at all): `$to IS NULL OR $to > $day`.
macro_rules! as_of_not_ended {
    ($day:literal, $to:literal) => {
        concat!("(", $to, " IS NULL OR ", $to, " > ", $day, ")")
    };
}

/// Begun on or before `$day` (or, with a NULL day, whenever): `$from` is never NULL here.
macro_rules! as_of_begun {
    ($day:literal, $from:literal) => {
        concat!("(CAST(", $day, " AS TEXT) IS NULL OR ", $from, " <= ", $day, ")")
    };
}

/// Held on `$day`: began (`$from`, never NULL for a match) on or before it and not ended by it.
/// With a NULL day: not ended, whenever it began. `$day` must be a TEXT parameter (`$1`).
macro_rules! as_of_held {
    ($day:literal, $from:literal, $to:literal) => {
        concat!("(", as_of_begun!($day, $from), " AND ", as_of_not_ended!($day, $to), ")")
    };
}

/// Known on `$day`: a fact with no end, begun on or before the day or at an unknown day (`$from`
/// NULL). With a NULL day, every such fact.
macro_rules! as_of_known_since {
    ($day:literal, $from:literal) => {
        concat!("(CAST(", $day, " AS TEXT) IS NULL OR ", $from, " IS NULL OR ", $from, " <= ", $day, ")")
    };
}

/// The plant statuses that count as operating, as an SQL condition on the status column `$status`.
macro_rules! operating_in {
    ($status:literal) => {
        concat!($status, " IN ('operating', 'operating-pre-retirement')")
    };
}

#[cfg(test)]
mod tests {
    use decarb_model::PlantStatus;

    #[test]
    fn operating_in_sql_is_the_models_operating() {
        let sql = operating_in!("s.status");
        for status in PlantStatus::ALL {
            let listed = sql.contains(&format!("'{}'", status.as_str()));
            assert_eq!(listed, status.is_operating(), "{status:?} in {sql}");
        }
    }

    #[test]
    fn as_of_fragments_read_as_intended() {
        assert_eq!(
            as_of_held!("$1", "s.valid_from", "s.valid_to"),
            "((CAST($1 AS TEXT) IS NULL OR s.valid_from <= $1) AND (s.valid_to IS NULL OR s.valid_to > $1))"
        );
        assert_eq!(
            as_of_known_since!("$3", "p.stated"),
            "(CAST($3 AS TEXT) IS NULL OR p.stated IS NULL OR p.stated <= $3)"
        );
    }
}

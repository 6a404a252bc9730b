//! Which rung next. `auto`: the diagnosis' remedies first (skipping ones already tried or
//! not worth trying), then the next useful ladder rung; a destructive rung only when the
//! diagnosis calls for it or nothing else is left. `ladder`: the field notes' fixed order,
//! blind — every rung, neither diagnosis nor facts consulted (`worth` is ignored), so it is an
//! honest baseline for `auto`. A single strategy: that one only.

use crate::strategies::{StrategyChoice, StrategyName};

/// `worth(s)` tells whether `s` is worth trying now (facts + diagnosis); `auto` only.
pub fn next(
    choice: StrategyChoice,
    tried: &[StrategyName],
    remedies: &[StrategyName],
    worth: &dyn Fn(StrategyName) -> bool,
) -> Option<StrategyName> {
    let fresh = |s: &StrategyName| !tried.contains(s);
    match choice {
        StrategyChoice::Only(s) => fresh(&s).then_some(s),
        StrategyChoice::Ladder => StrategyName::LADDER.into_iter().find(fresh),
        StrategyChoice::Auto => {
            if fresh(&StrategyName::Attach) {
                return Some(StrategyName::Attach);
            }
            // Among the remedies called for, the least harmful first (stable: the
            // diagnosis' own order breaks ties).
            let mut called: Vec<StrategyName> = remedies.iter().copied().filter(fresh).collect();
            called.sort_by_key(|s| s.harm());
            if let Some(s) = called.into_iter().find(|s| worth(*s)) {
                return Some(s);
            }
            let gentle = StrategyName::LADDER
                .into_iter()
                .filter(|s| !s.is_destructive())
                .filter(fresh)
                .find(|s| worth(*s));
            gentle.or_else(|| {
                StrategyName::LADDER
                    .into_iter()
                    .filter(|s| s.is_destructive())
                    .filter(fresh)
                    .find(|s| worth(*s))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StrategyName::*;

    #[test]
    fn auto_follows_the_diagnosis_then_the_ladder() {
        let all = |_| true;
        assert_eq!(next(StrategyChoice::Auto, &[], &[], &all), Some(Attach));
        assert_eq!(
            next(StrategyChoice::Auto, &[Attach], &[Incremental, Uninstall], &all),
            Some(Incremental)
        );
        assert_eq!(
            next(StrategyChoice::Auto, &[Attach, Incremental], &[Incremental], &all),
            Some(GzPublishers)
        );
        // image-create only when nothing gentler is worth trying …
        let only_destructive = |s: StrategyName| s == ImageCreate || s == Uninstall;
        assert_eq!(
            next(StrategyChoice::Auto, &[Attach, Uninstall], &[], &only_destructive),
            Some(ImageCreate)
        );
        // … or the diagnosis calls for it.
        assert_eq!(next(StrategyChoice::Auto, &[Attach], &[ImageCreate], &all), Some(ImageCreate));
        let none = |_| false;
        assert_eq!(next(StrategyChoice::Auto, &[Attach], &[Uninstall], &none), None);
    }

    #[test]
    fn ladder_is_blind_and_single_is_single() {
        // Neither the facts (`worth`) nor the diagnosis' remedies change the ladder's order.
        let not_gz = |s: StrategyName| s != GzPublishers;
        assert_eq!(
            next(StrategyChoice::Ladder, &[Attach], &[Uninstall], &not_gz),
            Some(GzPublishers)
        );
        let none = |_| false;
        let mut tried = vec![];
        while let Some(s) = next(StrategyChoice::Ladder, &tried, &[ImageCreate], &none) {
            tried.push(s);
        }
        assert_eq!(tried, StrategyName::LADDER.to_vec());
        assert_eq!(next(StrategyChoice::Only(Uninstall), &[], &[], &|_| false), Some(Uninstall));
        assert_eq!(next(StrategyChoice::Only(Uninstall), &[Uninstall], &[], &|_| true), None);
    }
}

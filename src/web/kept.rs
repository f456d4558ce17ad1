//! What a page builds from many rows, kept between requests while those rows stay the
//! same. Every key carries a revision the page reads from the database on each request
//! (a cohort's `revision`, which triggers move on in the transaction of every change to
//! its rows), so several servers can each keep their own copy and none serves rows older
//! than the revision it has just read.

use std::hash::Hash;
use std::sync::Arc;

pub struct Kept<K, V> {
    cache: quick_cache::sync::Cache<K, Arc<V>>,
}

impl<K: Eq + Hash + Clone, V> Kept<K, V> {
    /// Keeps about `items` values, dropping the least used first.
    pub fn new(items: usize) -> Kept<K, V> {
        Kept {
            cache: quick_cache::sync::Cache::new(items),
        }
    }

    /// The value kept for `key`, or the one `build` makes, which is then kept.
    pub fn get_or_build<E>(
        &self,
        key: K,
        build: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        if let Some(kept) = self.cache.get(&key) {
            return Ok(kept);
        }
        let built = Arc::new(build()?);
        self.cache.insert(key, built.clone());
        Ok(built)
    }

    /// The values kept for `keys`, in their order. `build` gets the keys not kept, all at
    /// once (so a page of rows costs one query, not one per row), and returns their values
    /// in the same order; those are then kept.
    pub fn get_all_or_build<E>(
        &self,
        keys: &[K],
        build: impl FnOnce(&[K]) -> Result<Vec<V>, E>,
    ) -> Result<Vec<Arc<V>>, E> {
        let mut found: Vec<Option<Arc<V>>> = keys.iter().map(|k| self.cache.get(k)).collect();
        let missing: Vec<K> = keys
            .iter()
            .zip(&found)
            .filter(|(_, kept)| kept.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        if !missing.is_empty() {
            let built = build(&missing)?;
            assert_eq!(built.len(), missing.len(), "one value per missing key");
            let mut built = missing.into_iter().zip(built).map(|(k, v)| {
                let v = Arc::new(v);
                self.cache.insert(k, v.clone());
                v
            });
            for slot in found.iter_mut().filter(|f| f.is_none()) {
                *slot = built.next();
            }
        }
        Ok(found.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_once_per_key_and_again_for_a_new_revision() {
        let kept: Kept<(i64, i64), String> = Kept::new(8);
        let builds = std::cell::Cell::new(0);
        let get = |key| {
            kept.get_or_build(key, || {
                builds.set(builds.get() + 1);
                Ok::<_, ()>(format!("{key:?}"))
            })
            .unwrap()
        };
        assert_eq!(*get((1, 0)), "(1, 0)");
        assert_eq!(*get((1, 0)), "(1, 0)");
        assert_eq!(*get((1, 1)), "(1, 1)");
        assert_eq!(builds.get(), 2);
        assert!(kept.get_or_build((2, 0), || Err("no")).is_err());
        assert!(
            kept.cache.get(&(2, 0)).is_none(),
            "a failed build keeps nothing"
        );
    }

    #[test]
    fn builds_only_the_missing_keys_at_once_and_keeps_the_order() {
        let kept: Kept<(i64, i64), String> = Kept::new(8);
        let asked = std::cell::RefCell::new(vec![]);
        let get = |keys: &[(i64, i64)]| {
            kept.get_all_or_build(keys, |missing| {
                asked.borrow_mut().push(missing.to_vec());
                Ok::<_, ()>(missing.iter().map(|k| format!("{k:?}")).collect())
            })
            .unwrap()
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
        };
        assert_eq!(get(&[(1, 0), (2, 0)]), ["(1, 0)", "(2, 0)"]);
        assert_eq!(
            get(&[(3, 0), (1, 0), (2, 1)]),
            ["(3, 0)", "(1, 0)", "(2, 1)"]
        );
        assert_eq!(get(&[(2, 1), (3, 0)]), ["(2, 1)", "(3, 0)"]);
        assert_eq!(
            *asked.borrow(),
            [vec![(1, 0), (2, 0)], vec![(3, 0), (2, 1)]],
            "each key built once, the kept ones never asked for"
        );
    }
}

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
}

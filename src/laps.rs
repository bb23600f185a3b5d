//! A stopwatch read in laps: how long each phase of a build (and each pass of its slowest
//! phase, the search index) took, for `--verbose`. Measuring is all it does, so pure stages
//! may keep one without touching the outside world.

use std::time::{Duration, Instant};

/// Named durations, in the order they were taken.
#[derive(Debug)]
pub struct Laps {
    /// Each lap's name and duration.
    pub laps: Vec<(&'static str, Duration)>,
    start: Instant,
}

impl Default for Laps {
    fn default() -> Self {
        Self::new()
    }
}

impl Laps {
    /// Starts the first lap now.
    pub fn new() -> Self {
        Self {
            laps: Vec::new(),
            start: Instant::now(),
        }
    }

    /// Ends the current lap as `name` and starts the next.
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.start));
        self.start = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_are_kept_in_order_and_add_up_to_the_time_taken() {
        let begun = Instant::now();
        let mut laps = Laps::new();
        std::thread::sleep(Duration::from_millis(2));
        laps.lap("one");
        laps.lap("two");
        let names: Vec<&str> = laps.laps.iter().map(|l| l.0).collect();
        assert_eq!(names, ["one", "two"]);
        assert!(laps.laps[0].1 >= Duration::from_millis(2));
        let sum: Duration = laps.laps.iter().map(|l| l.1).sum();
        assert!(sum <= begun.elapsed());
    }
}

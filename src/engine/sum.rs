//! Compensated (Neumaier) summation: a million log-likelihood terms near -9 each keep all
//! the digits a convergence test needs (Neumaier 1974, the improved Kahan-Babuska sum).

/// A running sum and the low-order digits its additions lost.
#[derive(Debug, Clone, Copy, Default)]
pub struct Neumaier {
    sum: f64,
    comp: f64,
}

impl Neumaier {
    /// Adds `x`, keeping in `comp` what the rounding of `sum + x` lost: the smaller of the
    /// two operands is the one whose low digits fall off.
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub fn total(&self) -> f64 {
        self.sum + self.comp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1 + 1e100 + 1 - 1e100 is 2; a plain sum loses both ones.
    #[test]
    fn keeps_what_a_plain_sum_loses() {
        let mut s = Neumaier::default();
        for x in [1.0, 1e100, 1.0, -1e100] {
            s.add(x);
        }
        assert_eq!(s.total(), 2.0);
    }
}

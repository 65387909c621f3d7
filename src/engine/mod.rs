//! The shared numerics every model stands on: ordering, linear algebra, distributions,
//! compensated sums and the tolerances they use, each in one place.
//!
//! - [`order`]: stable radix ordering and dense ranks (the million-row sorts).
//! - [`linalg`]: one LDL' factorisation of small symmetric matrices with R's `cholesky2`
//!   pivot rule (solves, generalised inverses, quadratic forms, log-determinants).
//! - [`risk_set`]: the risk sets of a proportional-hazards model, sorted once and walked
//!   per evaluation (strata, case weights), with Breslow's and Efron's tied-death terms in
//!   closed form: Newton-Raphson, Firth and `cox.zph` all stand on it.
//! - [`dist`]: chi-square, F, t and normal tails and the normal quantile, as R computes them.
//! - [`profile`]: profile-likelihood confidence limits (both Firth models).
//! - [`spline`]: B-splines and R's natural spline basis (`splines::ns`), for smooths.
//! - [`sum`]: compensated (Neumaier) summation for long sums of similar terms.
//! - [`tolerance`]: every numerical tolerance, with the reason for its value.

pub mod counting;
pub mod dist;
pub mod linalg;
pub mod order;
pub mod profile;
pub mod risk_set;
pub mod spline;
pub mod sum;
pub mod tolerance;

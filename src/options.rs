//! One enum per choice a user makes, parsed the same way by the command line and the page.
//!
//! Each choice is declared once with [`choice!`]: its canonical names (what `Display`, serde
//! and the JSON output use), the other spellings accepted, and the default. The command line
//! parses flags through `FromStr` (clap's `value_parser`), the page's settings arrive through
//! serde, so the two can never accept different words for the same thing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A choice's word was not one of its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChoice {
    /// What is being chosen, in words ("confidence-interval transform").
    pub what: &'static str,
    pub given: String,
    pub names: &'static [&'static str],
}

impl fmt::Display for UnknownChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a known {}; choose one of {}",
            self.given,
            self.what,
            self.names.join(", ")
        )
    }
}

impl std::error::Error for UnknownChoice {}

/// A choice declared with [`choice!`]: what generic code (the command line's parser) needs.
pub trait Choice: FromStr<Err = UnknownChoice> + Copy + Send + Sync + 'static {
    /// The canonical names, in the order declared.
    const NAMES: &'static [&'static str];
}

/// Declares a choice: `Variant = "name" | "alias"...`, one variant marked `#[default]`.
///
/// Names are matched ignoring ASCII case; `Display` and serde write the first name.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The canonical names, in the order declared.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The canonical name.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl Choice for $name {
            const NAMES: &'static [&'static str] = &[$($text),+];
        }

        impl FromStr for $name {
            type Err = UnknownChoice;

            fn from_str(s: &str) -> Result<$name, UnknownChoice> {
                let s = s.trim();
                $(
                    if s.eq_ignore_ascii_case($text) $(|| s.eq_ignore_ascii_case($alias))* {
                        return Ok($name::$variant);
                    }
                )+
                Err(UnknownChoice {
                    what: $what,
                    given: s.to_string(),
                    names: $name::NAMES,
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

choice! {
    /// The transform under which a pointwise confidence band of S(t) is symmetric.
    pub enum ConfType ("confidence-interval transform") {
        /// log(-log S): Stata's and SAS's default; undefined at S = 0 and S = 1.
        #[default]
        LogLog = "log-log" | "loglog",
        /// log S (R's `survfit` default), upper limit capped at 1.
        Log = "log",
        /// S itself (SPSS), clipped to [0, 1].
        Plain = "plain" | "linear",
    }
}

impl ConfType {
    /// The transform in words for output, naming which software uses it by default.
    pub fn describe(self) -> &'static str {
        match self {
            ConfType::LogLog => {
                "log-log transform (Stata's and SAS's default; R's survfit defaults to log)"
            }
            ConfType::Log => "log transform (R survfit's default)",
            ConfType::Plain => "plain, untransformed (SPSS's)",
        }
    }
}

choice! {
    /// How tied event times enter the Cox partial likelihood.
    pub enum Ties ("method for tied event times") {
        /// Efron's approximation (R's default).
        #[default]
        Efron = "efron",
        /// Breslow's approximation (SAS's, Stata's and SPSS's default).
        Breslow = "breslow",
    }
}

choice! {
    /// Multiple-comparison adjustment of pairwise p-values (R's `p.adjust`).
    pub enum Adjust ("p-value adjustment") {
        #[default]
        Holm = "holm",
        Bonferroni = "bonferroni",
        /// Benjamini-Hochberg false discovery rate.
        BenjaminiHochberg = "BH" | "fdr" | "benjamini-hochberg",
        /// No adjustment.
        None = "none",
    }
}

choice! {
    /// The function of time that `cox.zph` correlates scaled Schoenfeld residuals with.
    pub enum ZphTransform ("time transform") {
        /// 1 - Kaplan-Meier just before t (R's default).
        #[default]
        Km = "km",
        Identity = "identity",
        Rank = "rank",
        Log = "log",
    }
}

choice! {
    /// The unit of time computed from dates (or shown on an axis).
    pub enum TimeUnit ("time unit") {
        #[default]
        Days = "days" | "day" | "d",
        Weeks = "weeks" | "week" | "w",
        /// 365.25 / 12 = 30.4375 days.
        Months = "months" | "month" | "m",
        /// 365.25 days.
        Years = "years" | "year" | "y",
    }
}

impl TimeUnit {
    /// Days per unit: a month is 365.25 / 12 = 30.4375 days, a year 365.25 days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
            TimeUnit::Months => 30.4375,
            TimeUnit::Years => 365.25,
        }
    }
}

choice! {
    /// How dates written with slashes or dots are read.
    pub enum DateFormat ("date order") {
        /// ISO dates always; day-first or month-first decided from the column when unambiguous.
        #[default]
        Auto = "auto",
        /// Day first: 04/03/2021 is 4 March.
        Dmy = "dmy" | "day-first",
        /// Month first: 03/04/2021 is 4 March.
        Mdy = "mdy" | "month-first",
    }
}

choice! {
    /// How P values are printed: the house default or a journal's style.
    pub enum PStyle ("P-value style") {
        /// Three decimals, "<0.001", ">0.999".
        #[default]
        Default = "default",
        /// NEJM: two decimals, three below 0.01, "<0.001" (and 0.05 never shown rounded).
        Nejm = "nejm",
        /// JAMA: as NEJM but without the leading zero: ".04", "<.001", ">.99".
        Jama = "jama",
        /// The Lancet: two significant figures, "<0.0001".
        Lancet = "lancet",
        /// APA 7th edition: three decimals without the leading zero, "<.001".
        Apa = "apa",
    }
}

choice! {
    /// Output formats for readable tables.
    pub enum TableFormat ("table format") {
        /// Aligned columns for a terminal.
        #[default]
        Text = "text",
        Csv = "csv",
        Markdown = "markdown" | "md",
        Html = "html",
        /// Tab-separated, for pasting into Word or Excel.
        Tsv = "tsv",
    }
}

choice! {
    /// The tests of Table 1, by their contract names.
    pub enum TestName ("test") {
        #[default]
        WelchT = "welch-t",
        StudentT = "student-t",
        Anova = "anova",
        WelchAnova = "welch-anova",
        MannWhitney = "mann-whitney",
        KruskalWallis = "kruskal-wallis",
        /// Pearson's chi-square without continuity correction (SPSS's "Pearson Chi-Square").
        ChiSquare = "chi-square",
        /// With Yates' continuity correction (R's `chisq.test` default for 2 x 2 tables).
        ChiSquareYates = "chi-square-yates",
        FisherExact = "fisher-exact",
    }
}

choice! {
    /// The percentages of a categorical row in Table 1.
    pub enum PercentBasis ("percent basis") {
        /// Of each group's non-missing values (the usual).
        #[default]
        Column = "column",
        /// Of the level's total across groups.
        Row = "row",
        /// Of all non-missing values over all groups.
        Total = "total",
    }
}

choice! {
    /// The family of a regression model.
    pub enum Family ("regression family") {
        /// Least squares (R's `lm`).
        #[default]
        Linear = "linear" | "gaussian",
        /// Binary outcome, logit link (R's `glm(family = binomial)`).
        Logistic = "logistic" | "binomial",
    }
}

/// The field delimiter of a text file: detected, or one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    #[default]
    Auto,
    Byte(u8),
}

impl Delimiter {
    /// The byte to split on, if one was chosen.
    pub fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Auto => None,
            Delimiter::Byte(b) => Some(b),
        }
    }
}

impl FromStr for Delimiter {
    type Err = UnknownChoice;

    /// `auto` (or empty), `tab` (or a tab, or `\t` as typed), `comma`, `semicolon`, `pipe`,
    /// or any one ASCII character.
    fn from_str(s: &str) -> Result<Delimiter, UnknownChoice> {
        let byte = match s {
            "" | "auto" => return Ok(Delimiter::Auto),
            "tab" | "\\t" | "\t" => b'\t',
            "comma" => b',',
            "semicolon" => b';',
            "pipe" => b'|',
            one if one.len() == 1 && one.is_ascii() => one.as_bytes()[0],
            _ => {
                return Err(UnknownChoice {
                    what: "delimiter",
                    given: s.to_string(),
                    names: &["auto", ",", ";", "tab", "|"],
                })
            }
        };
        Ok(Delimiter::Byte(byte))
    }
}

impl<'de> Deserialize<'de> for Delimiter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Delimiter, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A choice the user makes, by what it is about: errors name it in a [`crate::error::Hint`],
/// the command line renders it as its flag and the page as its control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Time,
    StartDate,
    EndDate,
    CutoffDate,
    Unit,
    DateOrder,
    Event,
    EventValues,
    CompetingValues,
    Group,
    /// The group the others are compared with.
    Reference,
    Strata,
    ConfType,
    ConfLevel,
    Tau,
    At,
    FlemingHarrington,
    TrendScores,
    Adjust,
    Covariates,
    Categorical,
    Continuous,
    Ties,
    Outcome,
    Family,
    Variables,
    Test,
    Decimals,
    Sheet,
    Delimiter,
    Missing,
    Resamples,
    Seed,
    /// The names readers see for columns and their levels.
    Labels,
}

/// Refuses a confidence level outside (0, 1): every interval of every model checks it here.
pub fn check_conf_level(conf_level: f64) -> crate::error::Result<()> {
    if conf_level > 0.0 && conf_level < 1.0 {
        Ok(())
    } else {
        Err(crate::error::Error::usage(format!(
            "the confidence level {conf_level} is not between 0 and 1"
        ))
        .hint(crate::error::Hint::SetOption {
            setting: Setting::ConfLevel,
            example: Some("0.95".into()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_aliases_parse() {
        for &c in ConfType::ALL {
            assert_eq!(c.name().parse::<ConfType>(), Ok(c));
        }
        assert_eq!("LOG-LOG".parse::<ConfType>(), Ok(ConfType::LogLog));
        assert_eq!("fdr".parse::<Adjust>(), Ok(Adjust::BenjaminiHochberg));
        assert_eq!(Adjust::BenjaminiHochberg.to_string(), "BH");
        assert_eq!("md".parse::<TableFormat>(), Ok(TableFormat::Markdown));
    }

    #[test]
    fn unknown_words_list_the_choices() {
        let err = "cubic".parse::<ConfType>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "'cubic' is not a known confidence-interval transform; choose one of log-log, log, plain"
        );
    }

    #[test]
    fn serde_uses_the_canonical_name() {
        assert_eq!(
            serde_json::to_string(&Ties::Breslow).unwrap(),
            "\"breslow\""
        );
        let t: TestName = serde_json::from_str("\"Fisher-Exact\"").unwrap();
        assert_eq!(t, TestName::FisherExact);
        assert!(serde_json::from_str::<Family>("\"poisson\"").is_err());
    }

    #[test]
    fn delimiters_as_typed_on_either_front_end() {
        for (typed, byte) in [("tab", b'\t'), ("\\t", b'\t'), ("\t", b'\t'), (";", b';')] {
            assert_eq!(typed.parse::<Delimiter>(), Ok(Delimiter::Byte(byte)));
        }
        assert_eq!("auto".parse::<Delimiter>(), Ok(Delimiter::Auto));
        assert!("::".parse::<Delimiter>().is_err());
    }
}

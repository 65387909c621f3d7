//! `--plot` (km, cif) and `--forest` (cox): the core's figures of a command's result, with the
//! page's defaults (www/figure.js `curveOptions`, `forestBlock`), options from a JSON file and
//! the journal choices as flags, written in the format the file's extension names.

use clap::Args;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use survcalc::analysis::KmReport;
use survcalc::cif::CumulativeIncidence;
use survcalc::cox::CoxFit;
use survcalc::error::Hint;
use survcalc::labels::Labels;
use survcalc::options::{Setting, TimeUnit};
use survcalc::plot::export::{self, Format};
use survcalc::plot::forest::{cox_forest_svg, CoxForest, ForestModels, ForestOptions};
use survcalc::plot::{
    self, CensorStyle, CurveKind, FigureSize, HazardRatioNote, HrMethod, LegendPosition, Palette,
    PlotGroup, PlotOptions, TestNote,
};
use survcalc::Error;

use super::choice;
use super::labels::Shown;

/// A plot option's word read through its serde name (the names the page and the options file
/// use), ignoring case.
pub fn serde_name<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(Value::String(text.trim().to_ascii_lowercase()))
        .map_err(|e| e.to_string())
}

/// How censored observations are shown: a style of marks, or none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CensorChoice(Option<CensorStyle>);

fn censor_choice(text: &str) -> Result<CensorChoice, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        Ok(CensorChoice(None))
    } else {
        serde_name(text).map(|s| CensorChoice(Some(s)))
    }
}

/// The figure of the curves (`km`, `cif`) and how it looks.
#[derive(Args)]
pub struct FigureArgs {
    /// Also draw the figure into FILE; its extension chooses the format: .svg, .pdf, .tif or
    /// .tiff (LZW, with its resolution), .png.
    #[arg(long, value_name = "FILE")]
    plot: Option<String>,
    /// Plot options as a JSON object with the keys of the page's figure options (PlotOptions:
    /// title, endpoint, y_min, y_max, percent, order, colors, median_lines, risk_table_events,
    /// font_size, width_mm...); the flags below override it.
    #[arg(long, value_name = "FILE.json", requires = "plot")]
    plot_options: Option<String>,
    /// Width of a journal column: single (85 mm, the default), one-and-half (140 mm), double
    /// (180 mm).
    #[arg(long, value_name = "SIZE", value_parser = serde_name::<FigureSize>, requires = "plot")]
    figure_size: Option<FigureSize>,
    /// Pixels per inch of a TIFF or PNG (default 300; journals ask for 300, 600 or 1200).
    #[arg(long, requires = "plot")]
    dpi: Option<f64>,
    /// Line colours: okabe-ito (colour-blind safe, the default) or greyscale (greys with
    /// distinct line types).
    #[arg(long, value_name = "PALETTE", value_parser = serde_name::<Palette>, requires = "plot")]
    palette: Option<Palette>,
    /// The y axis title (default "Survival probability", or the cumulative incidence's).
    #[arg(long, value_name = "TEXT", requires = "plot")]
    y_label: Option<String>,
    /// Show time in days, weeks, months or years, converted from the data's unit (--unit).
    #[arg(long, value_name = "UNIT", value_parser = choice::<TimeUnit>(), requires = "plot")]
    display_unit: Option<TimeUnit>,
    /// Distance between time breaks, in the unit shown (default: a natural step, 6 or 12
    /// months, 1 year...).
    #[arg(long, value_name = "T", requires = "plot")]
    time_step: Option<f64>,
    /// No number-at-risk table under the plot.
    #[arg(long, requires = "plot")]
    no_risk_table: bool,
    /// Where the legend goes: auto (a free corner), top-right, top-left, bottom-right,
    /// bottom-left, top (above the plot), none.
    #[arg(long, value_name = "WHERE", value_parser = serde_name::<LegendPosition>, requires = "plot")]
    legend: Option<LegendPosition>,
    /// Censored observations: auto (marks, thinned when dense), every, thinned, rug (ticks
    /// along the time axis), none.
    #[arg(long, value_name = "STYLE", value_parser = censor_choice, requires = "plot")]
    censor_style: Option<CensorChoice>,
    /// Confidence bands around the curves.
    #[arg(long, requires = "plot")]
    conf_bands: bool,
}

/// The forest plot of a Cox fit (`cox`).
#[derive(Args)]
pub struct ForestArgs {
    /// Also draw the forest plot of the hazard ratios into FILE (.svg, .pdf, .tif/.tiff, .png):
    /// one row per term, reference levels marked; univariable beside multivariable with
    /// --univariate.
    #[arg(long, value_name = "FILE")]
    forest: Option<String>,
    /// Forest plot options as a JSON object with the keys of the page's forest options
    /// (ForestOptions: models, title, x_label, x_min, x_max, color, font_size, width_mm...); the
    /// flags override it.
    #[arg(long = "plot-options", value_name = "FILE.json", requires = "forest")]
    plot_options: Option<String>,
    /// Width of a journal column: single (85 mm), one-and-half (140 mm), double (180 mm, the
    /// default for a forest plot).
    #[arg(long, value_name = "SIZE", value_parser = serde_name::<FigureSize>, requires = "forest")]
    figure_size: Option<FigureSize>,
    /// Pixels per inch of a TIFF or PNG (default 300).
    #[arg(long, requires = "forest")]
    dpi: Option<f64>,
    /// Which models the forest plot shows: both (default; univariable needs --univariate),
    /// univariable, multivariable.
    #[arg(long, value_name = "MODELS", value_parser = serde_name::<ForestModels>, requires = "forest")]
    forest_models: Option<ForestModels>,
}

/// The format of a figure file, from its extension.
pub fn format_of(path: &str) -> Result<Format, Error> {
    Format::from_path(path).ok_or_else(|| {
        Error::usage(format!(
            "the figure file '{path}' does not end in .svg, .pdf, .tif, .tiff or .png, so its format is unknown; name it with one of these extensions"
        ))
    })
}

impl FigureArgs {
    /// The figure file and its format, checked before any analysis runs.
    pub fn file(&self) -> Result<Option<(String, Format)>, Error> {
        self.plot
            .as_ref()
            .map(|path| format_of(path).map(|f| (path.clone(), f)))
            .transpose()
    }
}

impl ForestArgs {
    /// The forest plot file and its format, checked before any analysis runs.
    pub fn file(&self) -> Result<Option<(String, Format)>, Error> {
        self.forest
            .as_ref()
            .map(|path| format_of(path).map(|f| (path.clone(), f)))
            .transpose()
    }
}

/// What a curve figure needs beyond the result: its file, the data's unit of time, the labels.
pub struct Curves<'a> {
    pub file: (String, Format),
    pub unit: Option<TimeUnit>,
    pub shown: &'a Shown<'a>,
}

/// The Kaplan-Meier figure of a `km` result: the page's figure (log-rank P on it, the
/// permutation P under it when computed, the hazard ratio when asked for).
pub fn km_plot(
    args: &FigureArgs,
    curves: &Curves,
    report: &KmReport,
    hazard_ratio: Option<HazardRatioNote>,
) -> Result<(), Error> {
    let groups: Vec<PlotGroup> = groups_of(report)?;
    let test = report
        .tests
        .iter()
        .find(|t| t.name == "log-rank")
        .and_then(|t| t.p)
        .map(|p| TestNote {
            name: "Log-rank".into(),
            p,
        });
    let annotation = report.exact_test.as_ref().map(|t| {
        let how = match t.method {
            survcalc::exact::PermutationMethod::Exact => "Exact",
            survcalc::exact::PermutationMethod::MonteCarlo => "Monte Carlo",
        };
        format!("{how} permutation P {}", p_in_sentence(t.p))
    });
    let base = PlotOptions {
        test,
        annotation,
        hazard_ratio,
        ..curve_defaults(curves, groups.len())
    };
    let opts = options(args, base)?;
    draw_curves(&groups, &opts, &curves.file, "Kaplan-Meier figure")
}

/// The cumulative incidence figure of a `cif` result: incidences as given, Gray's test's P,
/// the y axis naming the event of interest (as the page's competing-risks view).
pub fn cif_plot(
    args: &FigureArgs,
    curves: &Curves,
    result: &CumulativeIncidence,
    event_values: &[String],
) -> Result<(), Error> {
    let groups: Vec<PlotGroup> = groups_of(result)?;
    let test = result
        .gray_test
        .as_ref()
        .and_then(|t| t.p)
        .map(|p| TestNote {
            name: "Gray's test".into(),
            p,
        });
    let base = PlotOptions {
        curve: CurveKind::Cif,
        test,
        ..curve_defaults(curves, groups.len())
    };
    let mut opts = options(args, base)?;
    if opts.y_label.is_none() {
        opts.y_label = Some(format!(
            "Cumulative incidence of {}{}",
            named(event_values),
            if opts.percent { " (%)" } else { "" }
        ));
    }
    draw_curves(&groups, &opts, &curves.file, "cumulative incidence figure")
}

/// The forest plot of a Cox fit, its rows named by the labels.
pub fn cox_forest(
    args: &ForestArgs,
    file: &(String, Format),
    fit: &CoxFit,
    labels: &Labels,
) -> Result<(), Error> {
    let forest: CoxForest = reread(fit)?;
    let base = ForestOptions {
        labels: labels.by_term(),
        ..ForestOptions::default()
    };
    let mut opts: ForestOptions = overlay(base, args.plot_options.as_deref())?;
    if let Some(size) = args.figure_size {
        opts.page.size = Some(size);
        opts.page.width_mm = None;
    }
    if let Some(dpi) = args.dpi {
        opts.page.dpi = dpi;
    }
    if let Some(models) = args.forest_models {
        opts.models = models;
    }
    let svg = cox_forest_svg(&forest, &opts)?;
    write(&svg, file, opts.page.dpi, "forest plot")
}

/// The page's defaults for a figure of curves: the data's unit, the groups' labels, no legend
/// for a single curve (www/figure.js `curveOptions`).
fn curve_defaults(curves: &Curves, n_groups: usize) -> PlotOptions {
    let shown = curves.shown;
    PlotOptions {
        time_unit: curves.unit.map(|u| u.name().to_string()),
        labels: shown
            .group
            .as_deref()
            .map(|g| shown.labels.levels_of(g))
            .unwrap_or_default(),
        legend: if n_groups > 1 {
            LegendPosition::Auto
        } else {
            LegendPosition::None
        },
        ..PlotOptions::default()
    }
}

/// The options: the defaults, then the options file, then the flags.
fn options(args: &FigureArgs, base: PlotOptions) -> Result<PlotOptions, Error> {
    let mut opts: PlotOptions = overlay(base, args.plot_options.as_deref())?;
    if let Some(size) = args.figure_size {
        opts.page.size = Some(size);
        opts.page.width_mm = None;
    }
    if let Some(dpi) = args.dpi {
        opts.page.dpi = dpi;
    }
    if let Some(palette) = args.palette {
        opts.palette = palette;
    }
    if let Some(label) = &args.y_label {
        opts.y_label = Some(label.clone());
    }
    if let Some(shown) = args.display_unit {
        opts.display_unit = Some(shown);
    }
    if let Some(step) = args.time_step {
        opts.time_step = Some(step);
    }
    if args.no_risk_table {
        opts.risk_table = false;
    }
    if let Some(legend) = args.legend {
        opts.legend = legend;
    }
    if let Some(CensorChoice(style)) = args.censor_style {
        opts.censor_marks = style.is_some();
        if let Some(style) = style {
            opts.censor_style = style;
        }
    }
    if args.conf_bands {
        opts.conf_bands = true;
    }
    if let (Some(shown), None) = (opts.display_unit, opts.data_unit()) {
        return Err(Error::usage(format!(
            "the time axis cannot be shown in {shown}: the unit of the data's times is not known"
        ))
        .hint(Hint::SetOption {
            setting: Setting::Unit,
            example: Some("days".into()),
        }));
    }
    Ok(opts)
}

/// `base` with the keys of the JSON object in `path` put over it (a key holding an object,
/// such as `labels` or `colors`, adds its entries to the base's); an unknown key is an error
/// listing the known ones.
fn overlay<T: Serialize + DeserializeOwned>(base: T, path: Option<&str>) -> Result<T, Error> {
    let Some(path) = path else {
        return Ok(base);
    };
    let in_file = |what: String| Error::usage(format!("plot options file '{path}': {what}"));
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::usage(format!(
            "cannot open the plot options file '{path}': {e}. Check the path"
        ))
    })?;
    let given: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| in_file(format!("not JSON ({e})")))?;
    let Value::Object(given) = given else {
        return Err(in_file(
            "not a JSON object of options ({\"key\": value, ...})".into(),
        ));
    };
    let Ok(Value::Object(mut merged)) = serde_json::to_value(&base) else {
        return Ok(base);
    };
    for (key, value) in given {
        match (merged.get_mut(&key), value) {
            (None, _) => {
                let known: Vec<&str> = merged.keys().map(String::as_str).collect();
                return Err(in_file(format!(
                    "'{key}' is not an option; the options are {}",
                    known.join(", ")
                )));
            }
            (Some(Value::Object(mine)), Value::Object(theirs)) => mine.extend(theirs),
            (Some(slot), value) => *slot = value,
        }
    }
    serde_json::from_value(Value::Object(merged)).map_err(|e| in_file(e.to_string()))
}

/// A result's `groups` as the figure reads them: the JSON the command prints, read back.
fn groups_of<T: Serialize>(result: &T) -> Result<Vec<PlotGroup>, Error> {
    let value = serde_json::to_value(result).map_err(|e| Error::usage(e.to_string()))?;
    serde_json::from_value(value["groups"].clone()).map_err(|e| Error::usage(e.to_string()))
}

/// A result read back as another type through its JSON (the page hands the core the JSON).
fn reread<T: Serialize, U: DeserializeOwned>(result: &T) -> Result<U, Error> {
    serde_json::to_value(result)
        .and_then(serde_json::from_value)
        .map_err(|e| Error::usage(e.to_string()))
}

/// Draws the curves as SVG and writes the file.
fn draw_curves(
    groups: &[PlotGroup],
    opts: &PlotOptions,
    file: &(String, Format),
    what: &str,
) -> Result<(), Error> {
    let svg = plot::km_svg(groups, opts)?;
    write(&svg, file, opts.page.dpi, what)?;
    let caption = plot::km_caption(groups, opts)?;
    if !caption.is_empty() {
        eprintln!("note: for the caption: {caption}");
    }
    Ok(())
}

/// Writes the figure in its format and says on standard error what was written.
fn write(svg: &str, (path, format): &(String, Format), dpi: f64, what: &str) -> Result<(), Error> {
    let bytes = export::export(svg, *format, dpi)?;
    std::fs::write(path, &bytes).map_err(|e| {
        Error::usage(format!(
            "the {what} could not be written to '{path}' ({e}); choose a folder you can write to"
        ))
    })?;
    let (name, resolution) = match format {
        Format::Svg => ("SVG", String::new()),
        Format::Pdf => ("PDF", ", vector".to_string()),
        Format::Tiff => ("TIFF", format!(", {} dpi", plot_number(dpi))),
        Format::Png => ("PNG", format!(", {} dpi", plot_number(dpi))),
    };
    let size = svg_size_mm(svg)
        .map(|(w, h)| format!(", {} x {} mm", plot_number(w), plot_number(h)))
        .unwrap_or_default();
    eprintln!("note: wrote the {what} to {path} ({name}{size}{resolution})");
    Ok(())
}

/// The width and height in millimetres the SVG's root element gives.
pub fn svg_size_mm(svg: &str) -> Option<(f64, f64)> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let attribute = |name: &str| -> Option<f64> {
        let at = root.find(&format!(" {name}=\""))? + name.len() + 3;
        root[at..]
            .split('"')
            .next()?
            .strip_suffix("mm")?
            .parse()
            .ok()
    };
    Some((attribute("width")?, attribute("height")?))
}

/// A number to one decimal, without a trailing ".0".
fn plot_number(x: f64) -> String {
    let text = format!("{x:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

/// "= 0.012" or "< 0.001", as the page writes a P in a sentence.
fn p_in_sentence(p: f64) -> String {
    let text = survcalc::format::p_value(p);
    match text.chars().next() {
        Some(c @ ('<' | '>')) => format!("{c} {}", &text[1..]),
        _ => format!("= {text}"),
    }
}

/// Event codes as a title says them (www/cif.js `named`): "relapse or death", and bare numbers
/// as "event 1".
fn named(values: &[String]) -> String {
    let words = if values.is_empty() {
        "none".to_string()
    } else {
        values.join(" or ")
    };
    // The page's test: /^\s*-?\d+(\.\d+)?\s*$/.
    let code = |v: &str| {
        let v = v.trim();
        let v = v.strip_prefix('-').unwrap_or(v);
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match v.split_once('.') {
            Some((whole, fraction)) => digits(whole) && digits(fraction),
            None => digits(v),
        }
    };
    let numeric = !values.is_empty() && values.iter().all(|v| code(v));
    if numeric {
        format!("event {words}")
    } else {
        words
    }
}

/// The hazard ratio printed on a two-group figure, as the page's `hazardNote`: the
/// Mantel-Haenszel estimate of the `km` result, or a Cox model of the group alone (`cox`,
/// with the same reference level).
pub fn hazard_note(
    method: HrMethod,
    report: &KmReport,
    cox: Option<&CoxFit>,
) -> Option<HazardRatioNote> {
    let given = report.hazard_ratio.as_ref()?;
    let (hr, lower, upper, conf_level) = match method {
        HrMethod::MantelHaenszel => {
            let mh = given
                .estimates
                .iter()
                .find(|e| e.method == "mantel-haenszel")?;
            (mh.hr?, mh.lower?, mh.upper?, given.conf_level)
        }
        HrMethod::Cox => {
            let fit = cox?;
            let [term] = fit.terms.as_slice() else {
                return None;
            };
            if term.infinite || term.reference.as_deref() != Some(given.reference.as_str()) {
                return None;
            }
            (term.hr?, term.hr_lower?, term.hr_upper?, fit.conf_level)
        }
    };
    Some(HazardRatioNote {
        hr,
        lower,
        upper,
        method,
        conf_level,
        group: Some(given.group.clone()),
        reference: Some(given.reference.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_word_parses_through_serde() {
        for size in ["single", "one-and-half", "Double", "1.5"] {
            assert!(serde_name::<FigureSize>(size).is_ok(), "{size}");
        }
        for legend in [
            "auto",
            "top-right",
            "top-left",
            "bottom-right",
            "bottom-left",
            "top",
            "none",
        ] {
            assert!(serde_name::<LegendPosition>(legend).is_ok(), "{legend}");
        }
        for p in ["okabe-ito", "greyscale", "grayscale"] {
            assert!(serde_name::<Palette>(p).is_ok(), "{p}");
        }
        for style in ["auto", "every", "thinned", "rug"] {
            assert_eq!(censor_choice(style).unwrap().0, serde_name(style).ok());
        }
        assert_eq!(censor_choice("NONE").unwrap(), CensorChoice(None));
        assert!(serde_name::<HrMethod>("mantel-haenszel").is_ok());
        assert!(serde_name::<FigureSize>("triple")
            .unwrap_err()
            .contains("double"));
    }

    #[test]
    fn svg_sizes_read_back_in_millimetres() {
        let svg =
            r#"<svg width="85mm" height="61.25mm" viewBox="0 0 1004 723"><desc>x</desc></svg>"#;
        assert_eq!(svg_size_mm(svg), Some((85.0, 61.25)));
        assert_eq!(svg_size_mm("<svg width=\"10\" height=\"5\">"), None);
    }

    #[test]
    fn event_codes_are_named_as_the_page_names_them() {
        assert_eq!(named(&["1".into()]), "event 1");
        assert_eq!(named(&["pcm".into(), "relapse".into()]), "pcm or relapse");
        assert_eq!(named(&["1e5".into()]), "1e5");
        assert_eq!(named(&[" -2.5 ".into()]), "event  -2.5 ");
    }
}

//! The study's data: reads `data/attention/attention_decay.parquet`, keeps the chosen
//! passages and layers, and builds the model data (curve, head, passage, source and
//! genre indices) as a hazel [`DataSet`]. Also the descriptive sink figures from
//! `attention_head_stats.parquet`.

use hazel::io::stan_json::{DataSet, DataValue};
use polars::prelude::{DataFrame, ParquetReader, SerReader};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The sources of each genre, as they appear in `passage_id` (`conv_ami_007`).
pub const CONVERSATION_SOURCES: [&str; 3] = ["ami", "icsi", "topical_chat"];
/// Technical sources.
pub const TECHNICAL_SOURCES: [&str; 3] = ["pep", "plos", "sqlite"];

/// Which part of the table to fit.
#[derive(Debug, Clone)]
pub struct Subset {
    /// Passages per source (the first by id; 40 means all).
    pub per_source: usize,
    /// Layers (must be among those in the table: 0, 4, 8, 12, 16, 20, 24, 29).
    pub layers: Vec<i64>,
    /// Largest distance kept.
    pub max_distance: i64,
}

/// One row of the decay table.
struct Row {
    passage: String,
    layer: i64,
    head: i64,
    distance: i64,
    attn: f64,
}

/// The model data plus what the report needs to name things.
pub struct StudyData {
    /// Everything the models' data blocks declare.
    pub data: DataSet,
    /// Rows fitted.
    pub rows: usize,
    /// `(layer, head)` of model head 1, 2, …
    pub heads: Vec<(i64, i64)>,
    /// Layers in model order.
    pub layers: Vec<i64>,
    /// Passage ids in model order.
    pub passages: Vec<String>,
    /// Source names in model order.
    pub sources: Vec<String>,
    /// The distinct distances, ascending.
    pub grid: Vec<f64>,
    /// Observed mean log attention per genre at each grid distance: (conversation, technical).
    pub observed_curves: (Vec<f64>, Vec<f64>),
}

fn read(path: &Path) -> Result<DataFrame, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    ParquetReader::new(file)
        .finish()
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn strings(df: &DataFrame, name: &str) -> Result<Vec<String>, String> {
    let col = df.column(name).map_err(|e| e.to_string())?;
    let ca = col.str().map_err(|e| format!("column {name}: {e}"))?;
    ca.iter()
        .enumerate()
        .map(|(i, v)| {
            v.map(str::to_string)
                .ok_or(format!("column {name}: row {} is empty", i + 1))
        })
        .collect()
}

fn ints(df: &DataFrame, name: &str) -> Result<Vec<i64>, String> {
    let col = df.column(name).map_err(|e| e.to_string())?;
    let ca = col.i64().map_err(|e| format!("column {name}: {e}"))?;
    ca.iter()
        .enumerate()
        .map(|(i, v)| v.ok_or(format!("column {name}: row {} is empty", i + 1)))
        .collect()
}

fn reals(df: &DataFrame, name: &str) -> Result<Vec<f64>, String> {
    let col = df.column(name).map_err(|e| e.to_string())?;
    let ca = col.f64().map_err(|e| format!("column {name}: {e}"))?;
    ca.iter()
        .enumerate()
        .map(|(i, v)| v.ok_or(format!("column {name}: row {} is empty", i + 1)))
        .collect()
}

/// The source named in a passage id: `conv_topical_chat_012` → `topical_chat`.
pub fn source_of(passage: &str) -> Result<String, String> {
    let parts: Vec<&str> = passage.split('_').collect();
    if parts.len() < 3 {
        return Err(format!("passage id {passage:?} is not GENRE_SOURCE_NUMBER"));
    }
    Ok(parts[1..parts.len() - 1].join("_"))
}

fn is_conversation(source: &str) -> Result<bool, String> {
    if CONVERSATION_SOURCES.contains(&source) {
        Ok(true)
    } else if TECHNICAL_SOURCES.contains(&source) {
        Ok(false)
    } else {
        Err(format!("unknown source {source:?}"))
    }
}

fn int_array(values: Vec<i64>) -> DataValue {
    DataValue {
        dims: vec![values.len()],
        values: values.into_iter().map(|v| v as f64).collect(),
        all_int: true,
        source: "attention_decay.parquet".into(),
    }
}

fn real_vector(values: Vec<f64>) -> DataValue {
    DataValue {
        dims: vec![values.len()],
        values,
        all_int: false,
        source: "attention_decay.parquet".into(),
    }
}

fn int_scalar(v: usize) -> DataValue {
    DataValue {
        dims: vec![],
        ..int_array(vec![v as i64])
    }
}

/// Position of `x` in the sorted list `xs`, 1-based.
fn index_of<T: Ord>(xs: &[T], x: &T) -> i64 {
    xs.binary_search(x).map_or(0, |i| i as i64 + 1)
}

/// Reads the decay table under `dir` and builds the model data for `subset`.
pub fn load(dir: &Path, subset: &Subset) -> Result<StudyData, String> {
    let df = read(&dir.join("attention_decay.parquet"))?;
    let passage = strings(&df, "passage_id")?;
    let (layer, head, distance) = (
        ints(&df, "layer")?,
        ints(&df, "head")?,
        ints(&df, "distance")?,
    );
    let attn = reals(&df, "mean_attn_content")?;

    // The first `per_source` passages of each source, by id.
    let mut by_source: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in &passage {
        by_source
            .entry(source_of(p)?)
            .or_default()
            .insert(p.clone());
    }
    let kept: BTreeSet<String> = by_source
        .values()
        .flat_map(|ps| ps.iter().take(subset.per_source).cloned())
        .collect();
    let mut rows: Vec<Row> = (0..passage.len())
        .filter(|&i| {
            kept.contains(&passage[i])
                && subset.layers.contains(&layer[i])
                && distance[i] <= subset.max_distance
        })
        .map(|i| Row {
            passage: passage[i].clone(),
            layer: layer[i],
            head: head[i],
            distance: distance[i],
            attn: attn[i],
        })
        .collect();
    if rows.is_empty() {
        return Err(format!("no rows for {subset:?}"));
    }
    if let Some(r) = rows.iter().find(|r| !(r.attn > 0.0 && r.attn.is_finite())) {
        return Err(format!(
            "mean_attn_content is {} for passage {} layer {} head {} distance {}: the log model needs positive values",
            r.attn, r.passage, r.layer, r.head, r.distance
        ));
    }
    rows.sort_by(|a, b| {
        (&a.passage, a.layer, a.head, a.distance).cmp(&(&b.passage, b.layer, b.head, b.distance))
    });

    let passages: Vec<String> = kept.into_iter().collect();
    let sources: Vec<String> = by_source.keys().cloned().collect();
    let layers: Vec<i64> = rows
        .iter()
        .map(|r| r.layer)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let heads: Vec<(i64, i64)> = rows
        .iter()
        .map(|r| (r.layer, r.head))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let grid_int: Vec<i64> = rows
        .iter()
        .map(|r| r.distance)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let grid: Vec<f64> = grid_int.iter().map(|&d| d as f64).collect();
    let passage_source: Vec<i64> = passages
        .iter()
        .map(|p| source_of(p).map(|s| index_of(&sources, &s)))
        .collect::<Result<_, _>>()?;
    let conversation: Vec<i64> = sources
        .iter()
        .map(|s| is_conversation(s).map(i64::from))
        .collect::<Result<_, _>>()?;

    let (mut curve, mut curve_head, mut curve_passage) = (Vec::new(), Vec::new(), Vec::new());
    let mut last: Option<(&str, i64, i64)> = None;
    let d = grid.len();
    let (mut sum_conv, mut n_conv) = (vec![0.0; d], vec![0usize; d]);
    let (mut sum_tech, mut n_tech) = (vec![0.0; d], vec![0usize; d]);
    for r in &rows {
        let key = (r.passage.as_str(), r.layer, r.head);
        if last != Some(key) {
            curve_head.push(index_of(&heads, &(r.layer, r.head)));
            curve_passage.push(index_of(&passages, &r.passage));
            last = Some(key);
        }
        curve.push(curve_head.len() as i64);
        let k = index_of(&grid_int, &r.distance) as usize - 1;
        if is_conversation(&source_of(&r.passage)?)? {
            sum_conv[k] += r.attn.ln();
            n_conv[k] += 1;
        } else {
            sum_tech[k] += r.attn.ln();
            n_tech[k] += 1;
        }
    }
    let mean = |s: Vec<f64>, n: Vec<usize>| s.iter().zip(&n).map(|(s, &n)| s / n as f64).collect();

    let mut vars = BTreeMap::new();
    vars.insert("N".into(), int_scalar(rows.len()));
    vars.insert("L".into(), int_scalar(layers.len()));
    vars.insert("H".into(), int_scalar(heads.len()));
    vars.insert("S".into(), int_scalar(sources.len()));
    vars.insert("P".into(), int_scalar(passages.len()));
    vars.insert("C".into(), int_scalar(curve_head.len()));
    vars.insert("D".into(), int_scalar(d));
    vars.insert("curve".into(), int_array(curve));
    vars.insert("curve_head".into(), int_array(curve_head));
    vars.insert("curve_passage".into(), int_array(curve_passage));
    vars.insert(
        "distance".into(),
        real_vector(rows.iter().map(|r| r.distance as f64).collect()),
    );
    vars.insert(
        "attn".into(),
        real_vector(rows.iter().map(|r| r.attn).collect()),
    );
    vars.insert(
        "layer".into(),
        int_array(heads.iter().map(|(l, _)| index_of(&layers, l)).collect()),
    );
    vars.insert("source".into(), int_array(passage_source));
    vars.insert("conversation".into(), int_array(conversation));
    vars.insert("grid".into(), real_vector(grid.clone()));
    vars.insert(
        "distance_index".into(),
        int_array(
            rows.iter()
                .map(|r| index_of(&grid_int, &r.distance))
                .collect(),
        ),
    );
    Ok(StudyData {
        data: DataSet { vars },
        rows: rows.len(),
        heads,
        layers,
        passages,
        sources,
        grid,
        observed_curves: (mean(sum_conv, n_conv), mean(sum_tech, n_tech)),
    })
}

/// Share of late queries' attention (positions ≥ 65) that goes to the start token, per
/// genre, over all passages, layers and heads of the table: (mean, standard error over
/// passages) for conversation and technical text.
pub fn sink_shares(dir: &Path) -> Result<[(f64, f64); 2], String> {
    let df = read(&dir.join("attention_head_stats.parquet"))?;
    let passage = strings(&df, "passage_id")?;
    let sink = reals(&df, "sink_mass")?;
    let mut per_passage: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for (p, s) in passage.iter().zip(&sink) {
        let e = per_passage.entry(p.as_str()).or_default();
        e.0 += s;
        e.1 += 1;
    }
    let mut out = [(0.0, 0.0); 2];
    for (k, conv) in [true, false].into_iter().enumerate() {
        let means: Vec<f64> = per_passage
            .iter()
            .filter(|(p, _)| source_of(p).and_then(|s| is_conversation(&s)) == Ok(conv))
            .map(|(_, (s, n))| s / *n as f64)
            .collect();
        let n = means.len() as f64;
        let m = means.iter().sum::<f64>() / n;
        let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        out[k] = (m, (var / n).sqrt());
    }
    Ok(out)
}

//! Embeds `scenarios/*.ron` into the binary, so the game and the CLI work with no folder.
use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=scenarios");
    let mut names: Vec<String> = std::fs::read_dir("scenarios")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".ron"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut out = String::from("&[\n");
    for n in &names {
        println!("cargo:rerun-if-changed=scenarios/{n}");
        let _ = writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            format!("{manifest}/scenarios/{n}")
        );
    }
    out.push(']');
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default())
        .join("embedded_scenarios.rs");
    std::fs::write(dest, out).unwrap_or_else(|e| panic!("cannot write embedded scenarios: {e}"));
}

//! The customer parameters: reasons, age bands, shares and ranges, competitors.

use super::*;
use crate::scenario::file::CustomerFile;

pub(super) fn customer(
    cx: &mut Ctx<'_>,
    c: &CustomerFile,
) -> (CustomerParams, HashMap<String, ReasonIdx>) {
    let cust_off = cx.loc.find_key("customer", 0);
    let mut reason_ids: HashMap<String, ReasonIdx> = HashMap::new();
    let mut reasons = Vec::new();
    let mut from = cust_off.unwrap_or(0);
    for r in &c.reasons {
        let off = cx.loc.find_field("id", &r.id, from);
        if let Some(o) = off {
            from = o + 1;
        }
        if reason_ids.contains_key(&r.id) {
            cx.push(
                Code::DuplicateId,
                off,
                format!("reason `{}` is declared twice", r.id),
                None,
            );
            continue;
        }
        check_label(cx, off, "reason", &r.text.vi, &r.text.en);
        reason_ids.insert(r.id.clone(), ReasonIdx(reasons.len() as u16));
        reasons.push(Reason {
            id: r.id.clone(),
            text: r.text.clone().into(),
            weight: r.weight,
        });
    }
    if !reasons.is_empty() && reasons.iter().all(|r| r.weight == 0) {
        cx.push(
            Code::InvalidValue,
            cust_off,
            "every reason has weight 0".into(),
            Some("give at least one reason a weight above 0".into()),
        );
    }
    let ages = [c.ages.young, c.ages.adult, c.ages.middle, c.ages.senior];
    if ages.iter().all(|&w| w == 0) {
        cx.push(
            Code::InvalidValue,
            cust_off,
            "every age band has weight 0".into(),
            None,
        );
    }
    for (name, v) in [("postpaid", c.postpaid), ("in_commitment", c.in_commitment)] {
        if v > 100 {
            cx.push(
                Code::InvalidValue,
                cx.loc.find_key(name, 0),
                format!("`{name}` is {v}%, above 100"),
                None,
            );
        }
    }
    for (name, (lo, hi)) in [("mood", c.mood), ("willingness", c.willingness)] {
        if lo > hi || lo < 0 || hi > 100 {
            cx.push(
                Code::InvalidValue,
                cx.loc.find_key(name, cust_off.unwrap_or(0)),
                format!("`{name}` range ({lo}, {hi}) must satisfy 0 ≤ low ≤ high ≤ 100"),
                None,
            );
        }
    }
    if c.competitors.is_empty() {
        cx.push(
            Code::InvalidValue,
            cust_off,
            "`competitors` is empty".into(),
            Some("list at least one, e.g. [\"Viettel\"]".into()),
        );
    }
    let params = CustomerParams {
        ages,
        postpaid: c.postpaid.min(100),
        in_commitment: c.in_commitment.min(100),
        mood: c.mood,
        willingness: c.willingness,
        reasons,
        competitors: c.competitors.clone(),
    };
    (params, reason_ids)
}

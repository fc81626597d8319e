//! The rules fired by any triple from its instance side: `prp-*` on a fact, `cax-*` and
//! `cls-*` on a typing, the inconsistency checks, and property chains (`prp-spo2`).

use super::{Engine, Stop};
use crate::infer::rules::Rule;
use crate::infer::store::{Id, Triple3};

/// A path of facts along part of a property chain: where it ends and the facts walked.
type Walk = (Id, Vec<Triple3>);

impl Engine<'_> {
    pub(super) fn instance_rules(&mut self, t @ [s, p, o]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        let info = self.property(p);
        let object_is_resource = !self.literal(o);
        for &c in &info.domains {
            self.derive([s, v.type_, c], Rule::PrpDom, &[[p, v.domain, c], t])?;
        }
        for &q in &info.supers {
            self.derive([s, q, o], Rule::PrpSpo1, &[[p, v.spo, q], t])?;
        }
        for &q in &info.equivalent_out {
            self.derive([s, q, o], Rule::PrpEqp1, &[[p, v.eqp, q], t])?;
        }
        for &q in &info.equivalent_in {
            self.derive([s, q, o], Rule::PrpEqp2, &[[q, v.eqp, p], t])?;
        }
        if object_is_resource {
            for &c in &info.ranges {
                self.derive([o, v.type_, c], Rule::PrpRng, &[[p, v.range, c], t])?;
            }
            for &q in &info.inverse_out {
                self.derive([o, q, s], Rule::PrpInv1, &[[p, v.inverse, q], t])?;
            }
            for &q in &info.inverse_in {
                self.derive([o, q, s], Rule::PrpInv2, &[[q, v.inverse, p], t])?;
            }
            if info.symmetric {
                self.derive([o, p, s], Rule::PrpSymp, &[[p, v.type_, v.symmetric], t])?;
            }
            if info.transitive {
                let axiom = [p, v.type_, v.transitive];
                for z in self.store.objects(o, p) {
                    self.derive([s, p, z], Rule::PrpTrp, &[axiom, t, [o, p, z]])?;
                }
                for w in self.store.subjects(p, s) {
                    self.derive([w, p, o], Rule::PrpTrp, &[axiom, [w, p, s], t])?;
                }
            }
        }
        if info.functional {
            self.functional_link([p, v.type_, v.functional], t)?;
        }
        if info.inverse_functional {
            self.inverse_functional_link([p, v.type_, v.ifp], t)?;
        }
        if info.irreflexive && s == o {
            self.clash(Rule::PrpIrp, vec![[p, v.type_, v.irreflexive], t]);
        }
        if info.asymmetric && self.store.contains(&[o, p, s]) {
            self.clash(
                Rule::PrpAsyp,
                vec![[p, v.type_, v.asymmetric], t, [o, p, s]],
            );
        }
        for &(q, axiom) in &info.disjoint {
            if self.store.contains(&[s, q, o]) {
                self.clash(Rule::PrpPdw, vec![axiom, t, [s, q, o]]);
            }
        }
        if p == v.different && s == o {
            self.clash(Rule::EqDiff1, vec![t]);
        }
        for &(k, position) in &info.chains {
            self.chain_from(k, position, t)?;
        }
        for &r in &info.restrictions {
            self.restriction_fact(r, t)?;
        }
        if p == v.type_ && object_is_resource {
            self.typing(t)?;
        }
        Ok(())
    }

    /// `cls-svf1/2`, `cls-avf` and `cls-hv2` for a fact on the property of restriction `r`.
    fn restriction_fact(&mut self, r: Id, t @ [u, p, w]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        let on = [r, v.onp, p];
        for y in self.store.objects(r, v.svf) {
            if y == v.thing {
                self.derive([u, v.type_, r], Rule::ClsSvf2, &[[r, v.svf, y], on, t])?;
            } else if self.store.contains(&[w, v.type_, y]) {
                let premises = [[r, v.svf, y], on, t, [w, v.type_, y]];
                self.derive([u, v.type_, r], Rule::ClsSvf1, &premises)?;
            }
        }
        if !self.literal(w) && self.store.contains(&[u, v.type_, r]) {
            for y in self.store.objects(r, v.avf) {
                let premises = [[r, v.avf, y], on, [u, v.type_, r], t];
                self.derive([w, v.type_, y], Rule::ClsAvf, &premises)?;
            }
        }
        if self.store.contains(&[r, v.hv, w]) {
            self.derive([u, v.type_, r], Rule::ClsHv2, &[[r, v.hv, w], on, t])?;
        }
        Ok(())
    }

    /// The rules of a typing `x rdf:type c`.
    fn typing(&mut self, t @ [x, _, c]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        let info = self.class(c);
        for &d in &info.supers {
            self.derive([x, v.type_, d], Rule::CaxSco, &[[c, v.sco, d], t])?;
        }
        for &d in &info.equivalent_out {
            self.derive([x, v.type_, d], Rule::CaxEqc1, &[[c, v.eqc, d], t])?;
        }
        for &d in &info.equivalent_in {
            self.derive([x, v.type_, d], Rule::CaxEqc2, &[[d, v.eqc, c], t])?;
        }
        if c == v.nothing {
            self.clash(Rule::ClsNothing2, vec![t]);
        }
        for &(d, axiom, rule) in &info.disjoint {
            if self.store.contains(&[x, v.type_, d]) {
                self.clash(rule, vec![axiom, t, [x, v.type_, d]]);
            }
        }
        for &k in &info.intersections {
            let list = &self.lists[k as usize];
            let (axiom, members) = (list.axiom, list.members.clone());
            for m in members {
                self.derive([x, v.type_, m], Rule::ClsInt2, &[axiom, t])?;
            }
        }
        for &k in &info.in_intersections {
            self.intersection_member(k, x)?;
        }
        for &k in &info.in_unions {
            let list = &self.lists[k as usize];
            let (axiom, head) = (list.axiom, list.head);
            self.derive([x, v.type_, head], Rule::ClsUni, &[axiom, t])?;
        }
        for &(p, value) in &info.has_value {
            let premises = [[c, v.hv, value], [c, v.onp, p], t];
            self.derive([x, p, value], Rule::ClsHv1, &premises)?;
        }
        for &(p, y) in &info.all_values {
            for w in self.store.objects(x, p) {
                if !self.literal(w) {
                    let premises = [[c, v.avf, y], [c, v.onp, p], t, [x, p, w]];
                    self.derive([w, v.type_, y], Rule::ClsAvf, &premises)?;
                }
            }
        }
        for &r in &info.some_values_of {
            for p in self.store.objects(r, v.onp) {
                for u in self.store.subjects(p, x) {
                    let premises = [[r, v.svf, c], [r, v.onp, p], [u, p, x], t];
                    self.derive([u, v.type_, r], Rule::ClsSvf1, &premises)?;
                }
            }
        }
        Ok(())
    }

    /// `prp-spo2` for a fact that is link `position` of chain `k`: every path through it along
    /// the whole chain gives the chain's property between the path's ends.
    pub(super) fn chain_from(
        &mut self,
        k: u32,
        position: usize,
        t @ [a, _, b]: Triple3,
    ) -> Result<(), Stop> {
        if !self.on(Rule::PrpSpo2) {
            return Ok(());
        }
        let list = &self.lists[k as usize];
        let (axiom, property, links) = (list.axiom, list.head, list.members.clone());
        if links.get(position) != Some(&t[1]) {
            return Ok(());
        }
        // Backwards from the fact's subject to the chain's first link.
        let mut before: Vec<Walk> = vec![(a, Vec::new())];
        for &link in links[..position].iter().rev() {
            let mut longer = Vec::new();
            for (at, walked) in &before {
                for u in self.store.subjects(link, *at) {
                    let mut path = vec![[u, link, *at]];
                    path.extend_from_slice(walked);
                    longer.push((u, path));
                }
            }
            before = longer;
        }
        // Forwards from the fact's object to the chain's last link.
        let mut after: Vec<Walk> = vec![(b, Vec::new())];
        for &link in &links[position + 1..] {
            let mut longer = Vec::new();
            for (at, walked) in &after {
                if self.literal(*at) {
                    continue;
                }
                for w in self.store.objects(*at, link) {
                    let mut path = walked.clone();
                    path.push([*at, link, w]);
                    longer.push((w, path));
                }
            }
            after = longer;
        }
        for (start, head) in &before {
            for (end, tail) in &after {
                let mut premises = vec![axiom];
                premises.extend_from_slice(head);
                premises.push(t);
                premises.extend_from_slice(tail);
                self.derive([*start, property, *end], Rule::PrpSpo2, &premises)?;
            }
        }
        Ok(())
    }
}

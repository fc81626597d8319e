//! The rules fired by a schema triple: the `scm-*` rules, which close the schema itself, and
//! the instance rules joined from their schema side (a new `rdfs:subClassOf` types the
//! instances already known, a new `owl:TransitiveProperty` closes the facts already known).

use super::{Engine, ListKind, Stop};
use crate::infer::rules::Rule;
use crate::infer::store::{Id, Triple3};

impl Engine<'_> {
    pub(super) fn schema_rules(&mut self, t @ [s, p, o]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        match p {
            _ if p == v.sco => self.sub_class(t),
            _ if p == v.eqc && s != o => {
                self.derive([s, v.sco, o], Rule::ScmEqc1, &[t])?;
                self.derive([o, v.sco, s], Rule::ScmEqc1, &[t])?;
                for x in self.store.subjects(v.type_, s) {
                    self.derive([x, v.type_, o], Rule::CaxEqc1, &[t, [x, v.type_, s]])?;
                }
                for x in self.store.subjects(v.type_, o) {
                    self.derive([x, v.type_, s], Rule::CaxEqc2, &[t, [x, v.type_, o]])?;
                }
                Ok(())
            }
            _ if p == v.spo => self.sub_property(t),
            _ if p == v.eqp && s != o => {
                self.derive([s, v.spo, o], Rule::ScmEqp1, &[t])?;
                self.derive([o, v.spo, s], Rule::ScmEqp1, &[t])?;
                self.each_fact(s, |x, y, fact| {
                    Some(([x, o, y], Rule::PrpEqp1, vec![t, fact]))
                })?;
                self.each_fact(o, |x, y, fact| {
                    Some(([x, s, y], Rule::PrpEqp2, vec![t, fact]))
                })
            }
            _ if p == v.domain || p == v.range => self.domain_or_range(t),
            _ if p == v.inverse => {
                self.each_object_fact(s, |x, y, fact| {
                    Some(([y, o, x], Rule::PrpInv1, vec![t, fact]))
                })?;
                self.each_object_fact(o, |x, y, fact| {
                    Some(([y, s, x], Rule::PrpInv2, vec![t, fact]))
                })
            }
            _ if p == v.type_ => self.characteristic(t),
            _ if p == v.chain => {
                let Some(k) = self.register_list(ListKind::Chain, t) else {
                    return Ok(());
                };
                let Some(&first) = self.lists[k as usize].members.first() else {
                    return Ok(());
                };
                for i in self.store.with_predicate(first).to_vec() {
                    if self.store.is_alive(i) {
                        self.chain_from(k, 0, self.store.triple(i))?;
                    }
                }
                Ok(())
            }
            _ if p == v.int => self.intersection(t),
            _ if p == v.uni => {
                let Some(k) = self.register_list(ListKind::Union, t) else {
                    return Ok(());
                };
                for m in self.lists[k as usize].members.clone() {
                    self.derive([m, v.sco, s], Rule::ScmUni, &[t])?;
                    for x in self.store.subjects(v.type_, m) {
                        self.derive([x, v.type_, s], Rule::ClsUni, &[t, [x, v.type_, m]])?;
                    }
                }
                Ok(())
            }
            _ if p == v.svf || p == v.avf || p == v.hv || p == v.onp => self.restriction(s),
            _ if p == v.dw || p == v.complement => {
                let rule = if p == v.dw { Rule::CaxDw } else { Rule::ClsCom };
                for x in self.store.subjects(v.type_, s) {
                    if self.store.contains(&[x, v.type_, o]) {
                        self.clash(rule, vec![t, [x, v.type_, s], [x, v.type_, o]]);
                    }
                }
                Ok(())
            }
            _ if p == v.pdw => {
                for i in self.store.with_predicate(s).to_vec() {
                    let [x, _, y] = self.store.triple(i);
                    if self.store.is_alive(i) && self.store.contains(&[x, o, y]) {
                        self.clash(Rule::PrpPdw, vec![t, [x, s, y], [x, o, y]]);
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Calls `rule` on every live fact `(x p y)` and derives what it gives.
    fn each_fact(
        &mut self,
        p: Id,
        rule: impl Fn(Id, Id, Triple3) -> Option<(Triple3, Rule, Vec<Triple3>)>,
    ) -> Result<(), Stop> {
        for i in self.store.with_predicate(p).to_vec() {
            if !self.store.is_alive(i) {
                continue;
            }
            let fact @ [x, _, y] = self.store.triple(i);
            if let Some((triple, r, premises)) = rule(x, y, fact) {
                self.derive(triple, r, &premises)?;
            }
        }
        Ok(())
    }

    /// As [`Engine::each_fact`], for facts whose object is not a literal.
    fn each_object_fact(
        &mut self,
        p: Id,
        rule: impl Fn(Id, Id, Triple3) -> Option<(Triple3, Rule, Vec<Triple3>)>,
    ) -> Result<(), Stop> {
        for i in self.store.with_predicate(p).to_vec() {
            if !self.store.is_alive(i) {
                continue;
            }
            let fact @ [x, _, y] = self.store.triple(i);
            if self.literal(y) {
                continue;
            }
            if let Some((triple, r, premises)) = rule(x, y, fact) {
                self.derive(triple, r, &premises)?;
            }
        }
        Ok(())
    }

    fn sub_class(&mut self, t @ [s, _, o]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        if s == o {
            return Ok(());
        }
        for d in self.store.objects(o, v.sco) {
            if d != s {
                self.derive([s, v.sco, d], Rule::ScmSco, &[t, [o, v.sco, d]])?;
            }
        }
        for z in self.store.subjects(v.sco, s) {
            if z != o {
                self.derive([z, v.sco, o], Rule::ScmSco, &[[z, v.sco, s], t])?;
            }
        }
        if self.store.contains(&[o, v.sco, s]) {
            self.derive([s, v.eqc, o], Rule::ScmEqc2, &[t, [o, v.sco, s]])?;
            self.derive([o, v.eqc, s], Rule::ScmEqc2, &[[o, v.sco, s], t])?;
        }
        for x in self.store.subjects(v.type_, s) {
            self.derive([x, v.type_, o], Rule::CaxSco, &[t, [x, v.type_, s]])?;
        }
        for q in self.store.subjects(v.domain, s) {
            self.derive([q, v.domain, o], Rule::ScmDom1, &[[q, v.domain, s], t])?;
        }
        for q in self.store.subjects(v.range, s) {
            self.derive([q, v.range, o], Rule::ScmRng1, &[[q, v.range, s], t])?;
        }
        let mut restrictions = self.store.subjects(v.svf, s);
        restrictions.extend(self.store.subjects(v.avf, s));
        for r in restrictions {
            self.restriction_subsumption(r)?;
        }
        Ok(())
    }

    fn sub_property(&mut self, t @ [s, _, o]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        if s == o {
            return Ok(());
        }
        for q in self.store.objects(o, v.spo) {
            if q != s {
                self.derive([s, v.spo, q], Rule::ScmSpo, &[t, [o, v.spo, q]])?;
            }
        }
        for z in self.store.subjects(v.spo, s) {
            if z != o {
                self.derive([z, v.spo, o], Rule::ScmSpo, &[[z, v.spo, s], t])?;
            }
        }
        if self.store.contains(&[o, v.spo, s]) {
            self.derive([s, v.eqp, o], Rule::ScmEqp2, &[t, [o, v.spo, s]])?;
            self.derive([o, v.eqp, s], Rule::ScmEqp2, &[[o, v.spo, s], t])?;
        }
        for c in self.store.objects(o, v.domain) {
            self.derive([s, v.domain, c], Rule::ScmDom2, &[[o, v.domain, c], t])?;
        }
        for c in self.store.objects(o, v.range) {
            self.derive([s, v.range, c], Rule::ScmRng2, &[[o, v.range, c], t])?;
        }
        self.each_fact(s, |x, y, fact| {
            Some(([x, o, y], Rule::PrpSpo1, vec![t, fact]))
        })?;
        let mut restrictions = self.store.subjects(v.onp, s);
        restrictions.extend(self.store.subjects(v.onp, o));
        for r in restrictions {
            self.restriction_subsumption(r)?;
        }
        Ok(())
    }

    fn domain_or_range(&mut self, t @ [s, p, o]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        let (scm1, scm2) = if p == v.domain {
            (Rule::ScmDom1, Rule::ScmDom2)
        } else {
            (Rule::ScmRng1, Rule::ScmRng2)
        };
        for d in self.store.objects(o, v.sco) {
            self.derive([s, p, d], scm1, &[t, [o, v.sco, d]])?;
        }
        for q in self.store.subjects(v.spo, s) {
            self.derive([q, p, o], scm2, &[t, [q, v.spo, s]])?;
        }
        if p == v.domain {
            self.each_fact(s, |x, _, fact| {
                Some(([x, v.type_, o], Rule::PrpDom, vec![t, fact]))
            })
        } else {
            self.each_object_fact(s, |_, y, fact| {
                Some(([y, v.type_, o], Rule::PrpRng, vec![t, fact]))
            })
        }
    }

    /// A property characteristic (`p a owl:TransitiveProperty`, ...) applied to the facts
    /// already known.
    fn characteristic(&mut self, t @ [p, _, c]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        if c == v.symmetric {
            return self.each_object_fact(p, |x, y, fact| {
                Some(([y, p, x], Rule::PrpSymp, vec![t, fact]))
            });
        }
        let facts: Vec<Triple3> = self
            .store
            .with_predicate(p)
            .iter()
            .filter(|&&i| self.store.is_alive(i))
            .map(|&i| self.store.triple(i))
            .collect();
        for fact @ [x, _, y] in facts {
            if c == v.transitive && !self.literal(y) {
                for z in self.store.objects(y, p) {
                    self.derive([x, p, z], Rule::PrpTrp, &[t, fact, [y, p, z]])?;
                }
            } else if c == v.functional {
                self.functional_link(t, fact)?;
            } else if c == v.ifp {
                self.inverse_functional_link(t, fact)?;
            } else if c == v.irreflexive && x == y {
                self.clash(Rule::PrpIrp, vec![t, fact]);
            } else if c == v.asymmetric && self.store.contains(&[y, p, x]) {
                self.clash(Rule::PrpAsyp, vec![t, fact, [y, p, x]]);
            }
        }
        Ok(())
    }

    /// `prp-fp` for one fact: links its object to one other object of the same subject (the
    /// equalities chain them all into one class, so one link per fact is enough).
    pub(super) fn functional_link(
        &mut self,
        axiom: Triple3,
        fact @ [x, p, y]: Triple3,
    ) -> Result<(), Stop> {
        if self.literal(y) {
            return Ok(());
        }
        let other = self
            .store
            .objects(x, p)
            .into_iter()
            .find(|&z| z != y && !self.literal(z));
        if let Some(z) = other {
            self.derive(
                [z, self.v.same_as, y],
                Rule::PrpFp,
                &[axiom, [x, p, z], fact],
            )?;
        }
        Ok(())
    }

    /// `prp-ifp` for one fact, as [`Engine::functional_link`].
    pub(super) fn inverse_functional_link(
        &mut self,
        axiom: Triple3,
        fact @ [x, p, y]: Triple3,
    ) -> Result<(), Stop> {
        let other = self.store.subjects(p, y).into_iter().find(|&z| z != x);
        if let Some(z) = other {
            self.derive(
                [z, self.v.same_as, x],
                Rule::PrpIfp,
                &[axiom, [z, p, y], fact],
            )?;
        }
        Ok(())
    }

    fn intersection(&mut self, t @ [c, _, _]: Triple3) -> Result<(), Stop> {
        let v = self.v;
        let Some(k) = self.register_list(ListKind::Intersection, t) else {
            return Ok(());
        };
        let members = self.lists[k as usize].members.clone();
        for &m in &members {
            self.derive([c, v.sco, m], Rule::ScmInt, &[t])?;
        }
        for x in self.store.subjects(v.type_, c) {
            for &m in &members {
                self.derive([x, v.type_, m], Rule::ClsInt2, &[t, [x, v.type_, c]])?;
            }
        }
        if let Some(&m) = members.iter().find(|&&m| m != v.thing) {
            for x in self.store.subjects(v.type_, m) {
                self.intersection_member(k, x)?;
            }
        }
        Ok(())
    }

    /// `cls-int1` for one individual and one intersection: typed with the intersection when it
    /// has every member's type.
    pub(super) fn intersection_member(&mut self, k: u32, x: Id) -> Result<(), Stop> {
        let v = self.v;
        let list = &self.lists[k as usize];
        let mut premises = vec![list.axiom];
        for &m in &list.members {
            if m == v.thing {
                continue;
            }
            if !self.store.contains(&[x, v.type_, m]) {
                return Ok(());
            }
            premises.push([x, v.type_, m]);
        }
        let head = list.head;
        self.derive([x, v.type_, head], Rule::ClsInt1, &premises)
    }

    /// A restriction's definition changed: its subsumptions and the instance rules from its
    /// side (`cls-svf1/2`, `cls-avf`, `cls-hv1/2`).
    fn restriction(&mut self, r: Id) -> Result<(), Stop> {
        let v = self.v;
        self.restriction_subsumption(r)?;
        for p in self.store.objects(r, v.onp) {
            let on = [r, v.onp, p];
            for y in self.store.objects(r, v.svf) {
                let some = [r, v.svf, y];
                for i in self.store.with_predicate(p).to_vec() {
                    let fact @ [u, _, w] = self.store.triple(i);
                    if !self.store.is_alive(i) {
                        continue;
                    }
                    if y == v.thing {
                        self.derive([u, v.type_, r], Rule::ClsSvf2, &[some, on, fact])?;
                    } else if self.store.contains(&[w, v.type_, y]) {
                        self.derive(
                            [u, v.type_, r],
                            Rule::ClsSvf1,
                            &[some, on, fact, [w, v.type_, y]],
                        )?;
                    }
                }
            }
            for y in self.store.objects(r, v.avf) {
                for u in self.store.subjects(v.type_, r) {
                    for w in self.store.objects(u, p) {
                        if !self.literal(w) {
                            let premises = [[r, v.avf, y], on, [u, v.type_, r], [u, p, w]];
                            self.derive([w, v.type_, y], Rule::ClsAvf, &premises)?;
                        }
                    }
                }
            }
            for value in self.store.objects(r, v.hv) {
                let has = [r, v.hv, value];
                for u in self.store.subjects(v.type_, r) {
                    self.derive([u, p, value], Rule::ClsHv1, &[has, on, [u, v.type_, r]])?;
                }
                for u in self.store.subjects(p, value) {
                    self.derive([u, v.type_, r], Rule::ClsHv2, &[has, on, [u, p, value]])?;
                }
            }
        }
        Ok(())
    }

    /// `scm-svf1/2`, `scm-avf1/2`, `scm-hv`: the subsumptions between restriction `r` and the
    /// other restrictions, `r` on either side. The reflexive `rdfs:subClassOf` and
    /// `rdfs:subPropertyOf` of `scm-cls` and `scm-op` count (same filler, same property), but
    /// are left out of the premises, as they are not materialised.
    pub(super) fn restriction_subsumption(&mut self, r: Id) -> Result<(), Stop> {
        let v = self.v;
        let properties = self.store.objects(r, v.onp);
        for (kind, by_filler, by_property) in [
            (v.svf, Rule::ScmSvf1, Rule::ScmSvf2),
            (v.avf, Rule::ScmAvf1, Rule::ScmAvf2),
            (v.hv, Rule::ScmHv, Rule::ScmHv),
        ] {
            for y in self.store.objects(r, kind) {
                for &p in &properties {
                    let own = [[r, kind, y], [r, v.onp, p]];
                    // Same property, fillers related by rdfs:subClassOf (not for hasValue).
                    if kind != v.hv {
                        let mut wider = vec![(y, None)];
                        wider.extend(
                            self.store
                                .objects(y, v.sco)
                                .into_iter()
                                .map(|z| (z, Some([y, v.sco, z]))),
                        );
                        for (z, link) in wider {
                            for c in self.store.subjects(kind, z) {
                                if c != r && self.store.contains(&[c, v.onp, p]) {
                                    let mut premises = own.to_vec();
                                    premises.extend([[c, kind, z], [c, v.onp, p]]);
                                    premises.extend(link);
                                    self.derive([r, v.sco, c], by_filler, &premises)?;
                                }
                            }
                        }
                        let mut narrower = vec![(y, None)];
                        narrower.extend(
                            self.store
                                .subjects(v.sco, y)
                                .into_iter()
                                .map(|z| (z, Some([z, v.sco, y]))),
                        );
                        for (z, link) in narrower {
                            for c in self.store.subjects(kind, z) {
                                if c != r && self.store.contains(&[c, v.onp, p]) {
                                    let mut premises = vec![[c, kind, z], [c, v.onp, p]];
                                    premises.extend(own);
                                    premises.extend(link);
                                    self.derive([c, v.sco, r], by_filler, &premises)?;
                                }
                            }
                        }
                    }
                    // Same filler, properties related by rdfs:subPropertyOf: C1 on the narrower
                    // property is below C2 (above it for allValuesFrom).
                    let mut wider = vec![(p, None)];
                    wider.extend(
                        self.store
                            .objects(p, v.spo)
                            .into_iter()
                            .map(|q| (q, Some([p, v.spo, q]))),
                    );
                    for (q, link) in wider {
                        for c in self.store.subjects(v.onp, q) {
                            if c != r && self.store.contains(&[c, kind, y]) {
                                let mut premises = own.to_vec();
                                premises.extend([[c, kind, y], [c, v.onp, q]]);
                                premises.extend(link);
                                let triple = if kind == v.avf {
                                    [c, v.sco, r]
                                } else {
                                    [r, v.sco, c]
                                };
                                self.derive(triple, by_property, &premises)?;
                            }
                        }
                    }
                    let mut narrower = vec![(p, None)];
                    narrower.extend(
                        self.store
                            .subjects(v.spo, p)
                            .into_iter()
                            .map(|q| (q, Some([q, v.spo, p]))),
                    );
                    for (q, link) in narrower {
                        for c in self.store.subjects(v.onp, q) {
                            if c != r && self.store.contains(&[c, kind, y]) {
                                let mut premises = vec![[c, kind, y], [c, v.onp, q]];
                                premises.extend(own);
                                premises.extend(link);
                                let triple = if kind == v.avf {
                                    [r, v.sco, c]
                                } else {
                                    [c, v.sco, r]
                                };
                                self.derive(triple, by_property, &premises)?;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

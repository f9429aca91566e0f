import json, sys, glob, unicodedata
RANK = {"lead": 3, "coordinate": 2, "issuer": 1, "mentioned": 0}
texts = {r["id"]: r for r in map(json.loads, open("/tmp/agreement_texts.jsonl"))}
A = {}
for f in sorted(glob.glob("/tmp/ann/a_*.py")):
    ns = {}
    exec(open(f).read(), ns)
    A.update(ns["A"])
warn = []

def span(text, spec, rid, what):
    n = 0
    if isinstance(spec, tuple):
        spec, n = spec
    if " ~~ " in spec:
        a, b = spec.split(" ~~ ")
        i = -1
        for _ in range(n + 1):
            i = text.find(a, i + 1)
        if i < 0: raise SystemExit(f"{rid} {what}: not found {a!r}")
        j = text.find(b, i + len(a))
        if j < 0: raise SystemExit(f"{rid} {what}: end not found {b!r}")
        return i, j + len(b)
    i = -1
    for _ in range(n + 1):
        i = text.find(spec, i + 1)
    if i < 0: raise SystemExit(f"{rid} {what}: not found {spec!r}")
    if n == 0 and text.count(spec) > 1: warn.append(f"{rid} {what}: {spec[:40]!r} occurs {text.count(spec)}x, took first")
    return i, i + len(spec)

def build(rid, a):
    row = texts[rid]; text = row["text"]
    ags = []
    for t in a.get("ag", []):
        name, canon, role = t[0], t[1], t[2]
        aliases = t[3] if len(t) > 3 else []
        nested = t[4] if len(t) > 4 else False
        ags.append({"name": name, "canonical": canon, "role": role, "roles": {role}, "aliases": aliases, "nested_only": nested})
    def find(name):
        for g in ags:
            if name == g["name"] or name in g["aliases"] or name == g["canonical"]:
                return g
        raise SystemExit(f"{rid}: directive agency {name!r} not in list")
    dirs = []
    for d in a.get("dr", []):
        spec, verb = d[0], d[1]
        dag = d[2] if len(d) > 2 else []
        refs = d[3] if len(d) > 3 else []
        dl = d[4] if len(d) > 4 else None
        s, e = span(text, spec, rid, "directive")
        out = []
        for nm, role in dag:
            g = find(nm); g["roles"].add(role)
            out.append({"name": nm, "canonical": g["canonical"], "role": role})
        dirs.append({"text": text[s:e], "start": s, "end": e, "verb": verb, "agencies": out, "document_refs": refs, "deadline": dl})
    for g in ags:
        g["role"] = max(g["roles"], key=RANK.get); g["roles"] = sorted(g["roles"], key=lambda r: -RANK[r])
    tg = []
    for t in a.get("tg", []):
        s, e = span(text, t[0], rid, "target")
        tg.append({"text": text[s:e], "start": s, "end": e, "value": t[1], "unit": t[2], "comparator": t[3], "metric": t[4], "deadline": t[5] if len(t) > 5 else None})
    fg = []
    for t in a.get("fig", []):
        s, e = span(text, t[0], rid, "figure")
        fg.append({"text": text[s:e], "start": s, "end": e, "value": t[1], "unit": t[2], "status": t[3], "metric": t[4]})
    dates = list(dict.fromkeys(a.get("dates", [])))
    gold = {"document_refs": list(dict.fromkeys(a.get("refs", []))), "dates": dates, "agencies": ags, "targets": tg, "figures": fg, "directives": dirs}
    return {**{k: row[k] for k in ("id", "lang", "published", "source", "text")}, "gold": gold}

out = [build(rid, A[rid]) for rid in texts if rid in A]
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    for r in out: fh.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(out), "built;", "missing:", [r for r in texts if r not in A][:70])
for w in warn: print("WARN", w)

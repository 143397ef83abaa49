#!/usr/bin/env python3
"""Build armsledger/data/equipment.jsonl from a SIPRI trade-register CSV export.

Usage:
    python scripts/build_catalog.py [PATH/TO/trade-register.csv] [-o armsledger/data/equipment.jsonl]

Without a path it looks for ``../shared/data/sipri/trade-register-*.csv`` next to the
repository (and ``$SIPRI_REGISTER``). The register itself is never copied into the
project: only the derived catalog (one line per distinct SIPRI designation) is written.

Each output line (after the ``_source`` header line) is::

    {"family": "Mi-24P/Mi-35P", "category": "combat helicopter",
     "aliases": ["Mi-24P", "Mi-35P"], "variants": ["Mi-35P1"],
     "makers": ["Mil"], "supplier": ["RUS", "SUN"], "n": 57}

``family`` is the SIPRI designation, ``category`` the most frequent SIPRI weapon
description for it (lower case except acronyms), ``aliases`` the writings derived from
the designation itself (parts of "A/B" designations, the code without a calibre or a
popular name, the popular name alone), ``variants`` the lower-priority writings mined
from the register's Comments ("Mi-171Sh armed version") plus the bare base name of a
numbered name ("Shahed" from "Shahed-136"), ``makers`` a best-effort maker list from a
small rule table below, ``supplier`` the suppliers seen (ISO3 where known, otherwise
SIPRI's name), ``n`` the number of register rows (used to break ties between families).

Source: SIPRI Arms Transfers Database (c) SIPRI.
"""
from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "armsledger" / "data" / "equipment.jsonl"

# SIPRI spellings → ISO3: the package's own table (armsledger/data/sipri_countries.json)
sys.path.insert(0, str(ROOT))
from armsledger.sipri import sipri_names  # noqa: E402

SUPPLIER_ISO3 = sipri_names()

# Best-effort maker table: (regex on the SIPRI designation, makers). First match wins.
MAKER_RULES: list[tuple[str, list[str]]] = [
    (r"^Mi-\d+", ["Mil"]), (r"^Ka-\d+", ["Kamov"]), (r"^Su-\d+", ["Sukhoi"]),
    (r"^MiG-\d+", ["Mikoyan"]), (r"^Yak-\d+", ["Yakovlev"]), (r"^Tu-\d+", ["Tupolev"]),
    (r"^Il-\d+", ["Ilyushin"]), (r"^An-\d+", ["Antonov"]), (r"^Be-\d+", ["Beriev"]),
    (r"^(F-16|F-35|C-130|KC-130|C-5|C-141|P-3|EP-3|UP-3|F-104|F-22|HIMARS|M-142)", ["Lockheed Martin", "Lockheed"]),
    (r"^(AGM-114|FGM-148|ATACMS|GMLRS|M-270|PAC-3|Patriot Configuration-3|AGM-158|JASSM)", ["Lockheed Martin"]),
    (r"^(F-15|F/A-18|F-18|AH-64|CH-47|MH-47|P-8|KC-46|KC-135|KC-767|E-3|E-7|AH-6|MD-5|Boeing|C-17|AV-8|T-7|JDAM|GBU-31|GBU-38|Harpoon|AGM-84|CH-46|Vertol)", ["Boeing"]),
    (r"^(F-5|F-14|E-2|RQ-4|MQ-4|MQ-8|B-2|T-38|EA-6|A-6|S-2)", ["Northrop Grumman", "Northrop", "Grumman"]),
    (r"^(S-70|UH-60|MH-60|SH-60|HH-60|S-61|SH-3|S-76|CH-53|S-92|MH-53|S-55|S-58|S-64|CH-54|S-62|S-65)", ["Sikorsky"]),
    (r"^(Bell-|AH-1|UH-1|OH-58|V-22|TH-1|Bell )", ["Bell"]),
    (r"^(JAS-39|Gripen|Saab|RBS|Giraffe|Sea Giraffe|Erieye|Carl Gustaf|Arthur|ARTHUR|Carl-Gustaf|AT-4|NLAW|Visby|Sk-60|J-35 Draken|J-37|AJ-37|SF-37)", ["Saab"]),
    (r"^(Rafale|Mirage|Alpha Jet|Falcon|Super Etendard|Etendard|Atlantique|Atlantic|Mystere|Ouragan)", ["Dassault", "Dassault Aviation"]),
    (r"^(EMB-|KC-390|C-390|ERJ|Legacy|Phenom|EMB |R-99|E-99)", ["Embraer"]),
    (r"^(AS-3|AS-5|SA-3|SA-2|EC-|H-?1[2-7]\d|H-?2[12]\d|H225|H215|H160|H145|H135|H125|Tiger|NH-90|A-?330 MRTT|A-?400M|C-295|C-212|CN-235|CN-295|BK-117|Bo-105|AS-5)", ["Airbus", "Airbus Helicopters", "Eurocopter"]),
    (r"^(AW|A-109|A-129|AB-|M-346|MB-3\d\d|C-27J|G-222|SF-260|Falco|M-345|A-119|Lynx(?! KF)|Super Lynx|Wildcat|EH-101|Merlin|Sea King)", ["Leonardo", "AgustaWestland", "Agusta"]),
    (r"^(Typhoon Block|Tornado)", ["Eurofighter", "Panavia"]),
    (r"^(FA-50|T-50|TA-50|KT-1|KUH-1|Surion|KF-21)", ["KAI", "Korea Aerospace Industries"]),
    (r"^(K-9|K-10|K-21|K-239|K-200|Chunmoo|Redback|AS-21|K-30)", ["Hanwha", "Hanwha Aerospace"]),
    (r"^(K2 |K-1A|K-1 )", ["Hyundai Rotem"]),
    (r"^(VN-|VT-|ZBD|ZSL|ZTZ|ZTL|WZ-|PLZ|PHL|SH-1|SH-15|CS/|Type-(59|69|85|88|89|90|96|99|63|77|86|92|05|07|08|09))", ["Norinco"]),
    (r"^(Bayraktar|Akinci|Kizilelma)", ["Baykar", "Bayraktar"]),
    (r"^(T-129|Anka|Aksungur|Hurjet|Hurkus|T-625)", ["TAI", "Turkish Aerospace"]),
    (r"^(Cobra|Arma|Otokar|Akrep|Kaya)", ["Otokar"]),
    (r"^(Pars|ACV-|Kaplan|PARS)", ["FNSS"]),
    (r"^(Ejder|NMS)", ["Nurol Makina", "Nurol"]),
    (r"^(Leopard|PzH-2000|Dingo|Boxer|Fennek|ATF Dingo|Mungo)", ["KMW", "Krauss-Maffei Wegmann", "KNDS"]),
    (r"^(Marder|Lynx KF|Tpz-1|Fuchs|Skyranger|Skynex|Survivor|Wiesel)", ["Rheinmetall"]),
    (r"^(Leclerc|CAESAR|VBCI|AMX-|Aravis|Titus|TRF1|LG-1)", ["Nexter", "KNDS"]),
    (r"^(VAB|Sherpa|Bastion|VLRA)", ["Arquus", "Renault"]),
    (r"^(Exocet|MM-38|MM-40|SM-39|AM-39|Aster|MICA|VL-MICA|Meteor|Storm Shadow|SCALP|MILAN|Mistral|CAMM|Sea Ceptor|Brimstone|ASRAAM|Rapier|Sea Wolf|Sea Skua|Marte|Otomat|Teseo|Aspide|HOT|Eryx|AS-30|Super-530|R-550|Magic|Akeron|Simbad|Sadral|VT-1)", ["MBDA"]),
    (r"^(MIM-104|Patriot|AIM-9|AIM-120|AIM-7|BGM-71|TOW|FIM-92|Stinger|BGM-109|Tomahawk|RIM-|Standard Missile|SM-[236]|NASAMS|AMRAAM|AGM-65|AGM-88|Paveway|ESSM|Coyote|Excalibur|M-982|MIM-23|HAWK)", ["Raytheon", "RTX"]),
    (r"^(M-1A|M-1 Abrams|M-1A1|M-1A2|LAV|Piranha|ASCOD|Pandur|Stryker|Ajax|Eagle|Duro|Mowag)", ["General Dynamics", "GDLS", "GDELS", "MOWAG"]),
    (r"^(M-2 Bradley|M-2A|M-3 Bradley|M-109|M-113|CV-90|CV-9|M-777|UFH|Hawk-|Hawk |Archer|Bv-206|BvS-10|M-88|AMPV|M-992|M-1064|FV-|Warrior|Scimitar|Challenger-2|Challenger 2|Type-45|Type-26|Type-23|Bofors|Trinity)", ["BAE Systems", "BAE"]),
    (r"^(HMMWV|Humvee)", ["AM General"]),
    (r"^(M-ATV|JLTV|L-ATV|MaxxPro)", ["Oshkosh"] ),
    (r"^(Harop|Harpy|Heron|Searcher|Barak|EL/M|Green Pine|Scout|Hunter|Ranger|Panther|Eitan)", ["IAI", "Israel Aerospace Industries", "Elta"]),
    (r"^(Hermes|Skylark|ATMOS|Orbiter|SkyStriker|PULS|Cardom|Sabrah|SPEAR)", ["Elbit", "Elbit Systems"]),
    (r"^(Spike|Iron Dome|SPYDER|Python|Derby|Trophy|Python-5|I-Derby|David's Sling|Stunner|Sky Sting)", ["Rafael"]),
    (r"^(IRIS-T|IRIS)", ["Diehl", "Diehl Defence"]),
    (r"^(S-300|S-400|S-500|Buk|Tor|S-125|S-200|S-75|9K3|9K33|2K12|Kub)", ["Almaz-Antey"]),
    (r"^(96K6|96K9|Pantsir|Pantsyr|2S6|Kornet|9M133|Metis|Konkurs|Krasnopol)", ["KBP"]),
    (r"^(T-72|T-90|T-62|T-55|T-54|BMPT|T-80|T-64)", ["Uralvagonzavod"]),
    (r"^(BMP-|BMD-)", ["Kurganmash"]), (r"^(BTR-|BRDM-)", ["Arzamas", "GAZ"]),
    (r"^(J-10|JF-17|J-7|F-7|FTC-2000|Wing Loong|J-20)", ["Chengdu", "CAC", "AVIC"]),
    (r"^(J-8|J-11|J-15|J-16|J-6|F-6|FT-6)", ["Shenyang", "AVIC"]),
    (r"^(K-8|L-15|CJ-6|Hongdu)", ["Hongdu", "AVIC"]),
    (r"^(Y-8|Y-9|Y-20|MA60|MA-60|Y-12|Y-7|JH-7|H-6)", ["AVIC", "Xian", "Shaanxi"]),
    (r"^(CH-[345]|CH-92|CH-7|Rainbow)", ["CASC"]),
    (r"^(Dhruv|ALH|Tejas|LCA|LCH|Prachand|Rudra|HJT|HTT-40|Cheetal|Chetak|Cheetah|Lancer)", ["HAL", "Hindustan Aeronautics"]),
    (r"^(PJ-10|BrahMos)", ["BrahMos Aerospace"]),
    (r"^(L-39|L-59|L-159|L-29|L-139)", ["Aero Vodochody", "Aero"]),
    (r"^(PC-\d|PC-21|PC-9|PC-7|PC-12|PC-6)", ["Pilatus"]),
    (r"^(King Air|T-6|Beech|Bonanza|Baron|AT-6|Texan)", ["Beechcraft", "Textron"]),
    (r"^(Cessna|Citation|Caravan|AC-208|A-37|T-37|Scorpion Jet)", ["Cessna", "Textron"]),
    (r"^(Gowind|Scorpene|FREMM|La Fayette|Horizon|Mistral|BRF|FDI|Belharra|Agosta|Daphne|Floreal|P-400)", ["Naval Group", "DCNS"]),
    (r"^(Damen|Sigma|Stan Patrol|StanFlex|Holland|OPV-)", ["Damen"]),
    (r"^(MEKO|Type-209|Type-214|Type-212|Type-218|Type-210|Type-206|Type-205)", ["TKMS", "ThyssenKrupp"]),
    (r"^(Fincantieri|Bergamini|Maestrale|Lupo|Comandanti|PPA|Todaro|Saettia)", ["Fincantieri"]),
    (r"^(Navantia|Avante|BAM|F-100|Alvaro|Juan Carlos|Scorpene)", ["Navantia"]),
    (r"^(Cape|Guardian|Austal|Armidale|Independence|Arafura)", ["Austal"]),
    (r"^(NSM|Penguin|NASAMS|JSM)", ["Kongsberg"]),
    (r"^(Ground Master|GM-[24]0|SMART|Crotale|Starstreak|Bushmaster|Thunder|Hawkei|RAC|TRS-|Master-|Sea Fire|Herakles)", ["Thales"]),
    (r"^(TRML|TRS-4D|Spexer|ASR-S)", ["Hensoldt"]),
    (r"^(AMV|Patria|XA-|NEMO)", ["Patria"]),
    (r"^(Marauder|Matador|Mbombe|Ahrlac|Mwari)", ["Paramount"]),
    (r"^(G-5|G-6|Rooikat|Ratel|Casspir|Mokopa|Umkhonto|Rooivalk|Seeker|Ingwe|Badger|A-Darter|Denel)", ["Denel"]),
    (r"^(MQ-9|MQ-1|RQ-1|Predator|Reaper|Gray Eagle|MQ-9B|SkyGuardian|SeaGuardian|Avenger)", ["General Atomics"]),
    (r"^(Switchblade|RQ-11|RQ-20|Puma|Raven|RQ-12)", ["AeroVironment"]),
    (r"^(Nimr|NIMR|Jais|Hafeet|Ajban|Rabdan)", ["NIMR", "EDGE"]),
    (r"^(Shahed|Ababil)", ["HESA", "Shahed Aviation Industries"]),
    (r"^(Mohajer)", ["Qods Aviation", "Qods"]),
    (r"^(Kirpi|Vuran)", ["BMC"]),
    (r"^(A-4|A-7|F-4|C-9|DC-|F-101|F-3|T-45|AH-6|OH-6|MD-)", ["McDonnell Douglas", "Boeing"]),
    (r"^(Hughes-|Hughes )", ["Hughes", "MD Helicopters"]),
    (r"^(W-3|M-28|M28|PZL|TS-11|Iskra|Orlik|PZL-)", ["PZL", "PZL Mielec"]),
    (r"^(Krab|Rosomak|Piorun|Grom|Rak)", ["HSW", "PGZ"]),
    (r"^(DANA|Zuzana|RM-70|Morana|Dita|Eva)", ["Excalibur Army", "Konstrukta", "CSG"]),
    (r"^(Tatra)", ["Tatra"]),
    (r"^(Cyclone)", ["Bollinger", "Peterson Builders"]),
]

CATEGORY_FIXES = {
    "torpdeo boat": "torpedo boat", "iinfantry fighting vehicle turret": "infantry fighting vehicle turret",
    "sonar": "sonar", "ampibious assault ship/frigate": "amphibious assault ship/frigate",
    "light /trainer aircraft": "light/trainer aircraft",
    "signals intelligence/ground surveillance aircraft aircraft": "signals intelligence/ground surveillance aircraft",
}

_CAL = re.compile(r"\s*\b\d+(?:\.\d+)?\s?(?:mm|in|inch|cm)\b")
_HAS_DIGIT = re.compile(r"\d")
_CODE_TOKEN = re.compile(r"^(?:[A-Z][A-Za-z]{0,5}|\d[A-Z0-9]*)-?\d[A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*$")
_ROMAN = {"I", "II", "III", "IV", "V", "VI"}
# words that are not a popular name on their own ("Type-23" must not give "Type")
_NOT_BASE = {"Type", "Project", "Model", "Mark", "Mod", "Block", "Batch", "Flight", "Class", "Super",
             "Series", "Version", "Modele", "Configuration", "Tranche", "Standard", "Mk", "Mod."}


def norm_category(desc: str) -> str:
    desc = desc.strip()
    words = []
    for w in desc.split(" "):
        letters = [c for c in w if c.isalpha()]
        upper = sum(1 for c in letters if c.isupper())
        words.append(w if upper >= 2 and w != "SONAR" else w.lower())
    out = " ".join(w for w in words if w)
    return CATEGORY_FIXES.get(out, out)


def is_placeholder(designation: str) -> bool:
    d = designation.strip()
    if not d or not any(c.isupper() or c.isdigit() for c in d):
        return True  # "aircraft engine", "vehicle engine": SIPRI's placeholders for unnamed types
    return d.lower().startswith(("unidentified", "unknown"))


def split_alternatives(designation: str) -> list[str]:
    """'Mi-24P/Mi-35P' → both; 'F-16C Block-50/52' → both blocks; 'EL/M-2055' kept whole."""
    if "/" not in designation:
        return [designation]
    left, right = designation.split("/", 1)
    if not left.strip() or not right.strip():
        return [designation]
    out = [designation]
    rfirst = right.split(" ")[0]
    rrest = right[len(rfirst):]
    lm = re.search(r"(\d+|[A-Za-z]+)$", left)
    if lm and ((rfirst.isdigit() and lm.group(1).isdigit() and len(rfirst) == len(lm.group(1)))
               or (rfirst.isalpha() and len(rfirst) <= 2 and lm.group(1).isalpha() and len(lm.group(1)) <= 2)):
        # short alternative of the last chunk: F-16C/D, Block-50/52, AIM-9J/P Sidewinder
        out.append(left + rrest)
        out.append(left[: lm.start()] + rfirst + rrest)
        return out
    if (_HAS_DIGIT.search(left) or len(left) >= 4) and len(right) >= 2 and not right[0].isdigit():
        out.extend(split_alternatives(left))
        out.extend(split_alternatives(right))
    return out


def derive_aliases(designation: str) -> tuple[list[str], list[str]]:
    """(aliases, base names) derived from the designation text alone."""
    aliases: list[str] = []
    bases: list[str] = []
    for part in split_alternatives(designation):
        part = part.strip()
        forms = [part]
        nocal = _CAL.sub("", part).strip()
        if nocal and nocal != part:
            forms.append(nocal)
        for form in forms:
            aliases.append(form)
            words = form.split()
            if len(words) >= 2:
                codeish = [bool(_HAS_DIGIT.search(w)) or (w.isupper() and len(w) >= 2) for w in words]
                # CODE name...: "AH-64A Apache", "EMB-314 Super Tucano", "M-1A2 SEPv-3 Abrams"
                if codeish[0] and _HAS_DIGIT.search(words[0]):
                    k = 1
                    while k < len(words) and codeish[k] and _HAS_DIGIT.search(words[k]):
                        k += 1
                    rest = words[k:]
                    if not rest or rest[0][:1].isupper():  # not "Leopard-1 chassis", "M-109 chassis"
                        aliases.append(words[0])
                        if k > 1:
                            aliases.append(" ".join(words[:k]))
                    if rest and all(w[:1].isupper() and not _HAS_DIGIT.search(w) for w in rest):
                        aliases.append(" ".join(rest))
                # Name CODE: "Bayraktar TB2", "Lynx KF-41"
                elif not codeish[0] and _CODE_TOKEN.match(words[-1]) and words[-1][:1].isupper() \
                        and re.match(r"^[A-Z]+-?\d", words[-1]):
                    aliases.append(words[-1])
                    name = " ".join(words[:-1])
                    if all(w[:1].isupper() for w in words[:-1]):
                        bases.append(name)
                # "Typhoon Block-20", "Harpoon Block-2", "Type-22 Batch-1"
                m = re.match(r"^(.*?)\s+(?:Block|Batch|Mk|Mod|Tranche|Configuration|Flight)[- ]?\S+$", form)
                if m and m.group(1) and len(m.group(1)) >= 4 and m.group(1).split()[-1] not in _NOT_BASE:
                    bases.append(m.group(1))
            # "Shahed-136", "Wing Loong-2", "Leopard-2A4", "Piranha-3" → base name
            m = re.match(r"^([A-Z][a-z]+(?: [A-Z][a-z]+)*)-(?:\d[\w]*|[IVX]+)$", form)
            if m and len(m.group(1)) >= 4 and m.group(1).split()[-1] not in _NOT_BASE:
                bases.append(m.group(1))
    seen: set[str] = set()
    out = []
    for a in aliases:
        if a and a not in seen:
            seen.add(a)
            out.append(a)
    bout = []
    for b in bases:
        if b and b not in seen:
            seen.add(b)
            bout.append(b)
    return out, bout


_VERSION = re.compile(r"([^;,.()]*?)\bversions?\b")
_VCODE = re.compile(r"(?<![\w/-])([A-Z][A-Za-z]{0,5}-?\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\+?)")


def first_chunk(s: str) -> str:
    m = re.match(r"[A-Za-z]+", s)
    return m.group(0).lower() if m else ""


def mine_variants(designation: str, comments: list[str]) -> list[str]:
    """Variant writings from Comments such as 'Mi-171Sh armed version', 'incl 2 Mi-8MT version'."""
    want = first_chunk(designation)
    found: Counter[str] = Counter()
    for comment in comments:
        for m in _VERSION.finditer(comment):
            seg = m.group(1)
            words = seg.split()[-6:]
            for cm in _VCODE.finditer(" ".join(words)):
                code = cm.group(1).rstrip("+")
                if not want or first_chunk(code) != want:
                    continue
                if re.fullmatch(r"[A-Za-z]+-?\d{4}", code):  # "FY-2019" etc.
                    continue
                found[code] += 1
    return [c for c, _ in found.most_common()]


def makers_for(designation: str) -> list[str]:
    for rx, makers in MAKER_RULES:
        for m in re.finditer(rx, designation):
            e = m.end()
            # a prefix must not cut a number: "L-15" is not a prefix of "L-159A"
            if e < len(designation) and designation[e - 1].isdigit() and designation[e].isdigit():
                continue
            return list(makers)
    return []


def find_register(arg: str | None) -> Path:
    cands = []
    if arg:
        cands.append(Path(arg))
    if os.environ.get("SIPRI_REGISTER"):
        cands.append(Path(os.environ["SIPRI_REGISTER"]))
    for base in (ROOT.parent / "shared" / "data" / "sipri", Path("/work/shared/data/sipri")):
        cands.extend(sorted(Path(p) for p in glob.glob(str(base / "trade-register-*.csv"))))
    for c in cands:
        if c.is_file():
            return c
    sys.exit("SIPRI trade register CSV not found; pass its path")


def read_register(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="cp1252", errors="replace", newline="") as f:
        lines = f.read().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Recipient,Supplier"))
    reader = csv.reader(lines[start:])
    header = next(reader)
    rows = []
    for rec in reader:
        if len(rec) < 13:
            continue
        rows.append({"recipient": rec[0], "supplier": rec[1], "designation": rec[6].strip(),
                     "description": rec[7].strip(), "comments": rec[12]})
    del header
    return rows


def build(rows: list[dict[str, str]]) -> list[dict]:
    desc: dict[str, Counter] = defaultdict(Counter)
    sup: dict[str, Counter] = defaultdict(Counter)
    comments: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        d = r["designation"]
        if is_placeholder(d):
            continue
        desc[d][norm_category(r["description"])] += 1
        s = r["supplier"].strip()
        if s and not s.lower().startswith("unknown"):
            sup[d][SUPPLIER_ISO3.get(s, s)] += 1
        if r["comments"]:
            comments[d].append(r["comments"])
    out = []
    for d in sorted(desc, key=lambda s: (s.lower(), s)):
        aliases, bases = derive_aliases(d)
        variants = [v for v in mine_variants(d, comments[d]) if v not in aliases]
        variants += [b for b in bases if b not in variants]
        line = {"family": d, "category": desc[d].most_common(1)[0][0],
                "aliases": [a for a in aliases if a != d]}
        if variants:
            line["variants"] = variants
        line["makers"] = makers_for(d)
        line["supplier"] = [s for s, _ in sup[d].most_common()]
        line["n"] = sum(desc[d].values())
        out.append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("register", nargs="?")
    ap.add_argument("-o", "--out", default=str(DEFAULT_OUT))
    a = ap.parse_args(argv)
    path = find_register(a.register)
    rows = read_register(path)
    lines = build(rows)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(json.dumps({"_source": "SIPRI Arms Transfers Database (c) SIPRI",
                            "_note": f"derived by scripts/build_catalog.py from {path.name}: one line per "
                                     "SIPRI weapon designation"}, ensure_ascii=False) + "\n")
        for ln in lines:
            f.write(json.dumps(ln, ensure_ascii=False) + "\n")
    print(f"{len(lines)} families from {len(rows)} register rows → {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

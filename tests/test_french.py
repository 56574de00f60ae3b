"""French reports a consultant can send as they are (issue 17).

Plural forms, numbers, percents and dates come from Babel's CLDR data; French typography is put
on catalogue text by one function and never on labels; a French run writes no English outside
labels, field API names and Data Loader setting names. Everything is asserted on rendered output
of real runs over the bundled samples.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from statusdiff import cli
from statusdiff.i18n import Catalog, check_plural_forms, messages, typeset

from .conftest import GENERATED_AT, ROOT, SAMPLES

NBSP, NNBSP = "\u00a0", "\u202f"

# ------------------------------------------------------------------------------------------------
# Runs
# ------------------------------------------------------------------------------------------------


def _invoke(args: list[str]) -> str:
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _compare(folder: Path, name: str, *args: str) -> dict[str, str]:
    """One French compare writing every report format; its texts by format (and 'terminal')."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs = [f"-o{folder / f'{name}.{ext}'}" for ext in ("html", "md", "xlsx")]
    out = _invoke(
        ["compare", *args, *outputs, "--lang", "fr", "--generated-at", GENERATED_AT, "--all"]
    )
    return {"terminal": out, **_read_folder(folder, name)}


def _read_folder(folder: Path, name: str = "") -> dict[str, str]:
    texts = {}
    for path in sorted(folder.rglob(f"{name}*")):
        if path.suffix == ".html":
            texts[str(path)] = _html_text(path.read_text(encoding="utf-8"))
        elif path.suffix == ".md":
            texts[str(path)] = path.read_text(encoding="utf-8")
        elif path.suffix == ".xlsx":
            texts[str(path)] = _xlsx_text(path)
        elif path.suffix == ".csv" and path.name.startswith("review-"):
            texts[str(path)] = path.read_text(encoding="utf-8-sig")
    return texts


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every French output of the samples: the demo (pairs, members, baseline), --strict, the
    matrix, the hand-made workbook and pasted list, a single pair."""
    base = tmp_path_factory.mktemp("fr")
    demo = base / "demo"
    texts = {"demo terminal": _invoke(["demo", "--lang", "fr", str(demo)])}
    texts |= _read_folder(demo)
    channels, statuses = (
        SAMPLES / "marketo-channels.json",
        SAMPLES / "salesforce-member-statuses.csv",
    )
    pairs = ["--pairs", str(SAMPLES / "program-campaign-pairs.csv")]
    for name, args in (
        ("strict", [str(channels), str(statuses), *pairs, "--strict"]),
        ("matrix", [str(channels), str(statuses)]),
        (
            "handmade",
            [
                str(SAMPLES / "marketo-channels-handmade.xlsx"),
                str(SAMPLES / "salesforce-member-statuses-report.xlsx"),
            ],
        ),
        (
            "pasted",
            [
                str(SAMPLES / "marketo-channels-blocks.csv"),
                str(SAMPLES / "salesforce-statuses-pasted.txt"),
                "--campaign",
                "2026-04 Webinar: Data Quality",
            ],
        ),
        (
            "single",
            [str(channels), str(statuses), "--channel", "Webinar", "--campaign", _WEBINAR],
        ),
    ):
        for key, text in _compare(base / name, name, *args).items():
            texts[f"{name} {key}"] = text
    return texts


_WEBINAR = "2026-03 Webinar: Pipeline Hygiene"


def _html_text(page: str) -> str:
    """What a reader sees of a page: text and tooltips, not markup, styles or scripts."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    tips = re.findall(r'\b(?:title|aria-label|alt|placeholder)="([^"]*)"', page)
    body = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(body + "\n" + "\n".join(tips))


def _xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    cells = [book.properties.title or "", book.properties.subject or ""]
    for sheet in book.worksheets:
        cells.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells += [str(v) for v in row if isinstance(v, str)]
    return "\n".join(cells)


# ------------------------------------------------------------------------------------------------
# Evidence: every value of the inputs (labels, names, IDs) is left as it is and set aside
# ------------------------------------------------------------------------------------------------


def _input_values() -> set[str]:
    values: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            values.add(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                values.add(str(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in SAMPLES.iterdir():
        if path.suffix == ".json":
            walk(json.loads(path.read_text(encoding="utf-8")))
        elif path.suffix in (".csv", ".txt"):
            text = path.read_text(encoding="utf-8-sig")
            dialect = "excel-tab" if "\t" in text else "excel"
            for row in csv.reader(text.splitlines(), dialect):
                values.update(row)
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    values.update(str(v) for v in row if v is not None)
        values.add(path.name)
    return {v.strip() for v in values if len(v.strip()) > 1}


def _without_evidence(text: str, values: set[str]) -> str:
    text = text.replace(str(ROOT), " ")
    text = re.sub(r"(?:/[^\s/:]+)+/", " ", text)  # folders of written files
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


# English a French report must not hold. Labels and file names are set aside first; Salesforce
# API names (CampaignMemberStatus, HasResponded...) and Data Loader settings stay allowed.
ENGLISH = (
    "the", "and", "of", "with", "only", "more", "rows", "row", "wrote", "open", "blocks",
    "blocking", "near miss", "will", "not", "applied", "checked", "steps", "rule", "Option",
    "Language", "Done by", "record_id", "campaign_id", "campaign_name", "member_id",
    "salesforce-subset", "exact-set", "browser", "Inputs", "from", "channel", "campaign", "to",
    "is", "by", "pair", "pairs", "event", "email", "fix", "sync", "member", "members", "status",
    "Salesforce only", "channel only", "yes", "no", "none", "unknown", "Program type",
    "json-rest", "json-list", "json-object",
)  # fmt: skip
ALLOWED = (
    "Not in Program",  # Marketo's own name of its step-0 pseudo-status, in every language
    # Data Loader settings and buttons: Data Loader has no French interface.
    "Read all CSVs with UTF-8 encoding",
    "Insert null values",
    "Choose an Existing Map",
)


def test_a_french_run_writes_no_english(french: dict[str, str]) -> None:
    values = _input_values() | set(ALLOWED)
    pattern = re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")
    found = []
    assert len(french) >= 20, sorted(french)
    for where, text in french.items():
        rest = _without_evidence(text, values)
        for match in pattern.finditer(rest):
            context = rest[max(0, match.start() - 50) : match.end() + 30].replace("\n", " ")
            found.append(f"{Path(where).name}: {match.group(1)!r} in …{context}…")
    assert not found, "\n".join(found[:40])


# ------------------------------------------------------------------------------------------------
# Typography, in every format, and never on labels
# ------------------------------------------------------------------------------------------------

ORDINARY_SPACE_BEFORE = re.compile(r"[\w»)][ ]([:;?!»%])(?=\s|$)|«[ ]")


def test_french_typography_in_every_format(french: dict[str, str]) -> None:
    values = _input_values()
    checked = 0
    for where, text in french.items():
        rest = _without_evidence(text, values)
        bad = [m.group(0) for m in ORDINARY_SPACE_BEFORE.finditer(rest)]
        assert not bad, f"{where}: ordinary space in {bad[:5]}"
        if f"{NBSP}:" in text:
            checked += 1
    # Every format carries French colons with their no-break space: html, md, xlsx, RUNBOOK,
    # terminal (the demo's and compare's).
    kinds = {Path(w.split(" ")[-1]).suffix or "terminal" for w in french if f"{NBSP}:" in french[w]}
    assert {".html", ".md", ".xlsx", "terminal"} <= kinds, kinds
    assert any(f"«{NNBSP}" in t and f"{NNBSP}»" in t for t in french.values())
    assert checked >= 10


def test_typography_never_touches_a_label(french: dict[str, str]) -> None:
    # The campaign "2026-03 Webinar: Pipeline Hygiene" keeps its ordinary colon and space.
    for where, text in french.items():
        if "Pipeline Hygiene" in text:
            assert _WEBINAR in text, where
            assert f"2026-03 Webinar{NBSP}:" not in text, where


def test_typeset_adds_no_break_spaces_to_catalogue_text_only() -> None:
    assert typeset("Règle : « {label} » ; vraiment ? oui ! 90 %", "fr") == (
        f"Règle{NBSP}: «{NNBSP}{{label}}{NNBSP}»{NNBSP}; vraiment{NNBSP}? oui{NNBSP}! 90{NBSP}%"
    )
    # A missing space is supplied; times, URLs and English are left alone.
    assert typeset("Salesforce: oui", "fr") == f"Salesforce{NBSP}: oui"
    assert typeset("à 15:46 sur https://x.y", "fr") == "à 15:46 sur https://x.y"
    assert typeset("Rule: yes; no", "en") == "Rule: yes; no"
    # The label substituted into a phrase is not retouched.
    t = Catalog("fr")
    said = t("kind.near_miss")
    text = t("rec.rec_sync_other", campaign="A : B « C »")
    assert "A : B « C »" in text and said


# ------------------------------------------------------------------------------------------------
# CLDR plurals, numbers, percents, dates
# ------------------------------------------------------------------------------------------------


def test_plural_forms_follow_cldr() -> None:
    fr, en = Catalog("fr"), Catalog("en")
    assert [fr.n("verdict.pairs", n) for n in (0, 1, 2)] == ["0 paire", "1 paire", "2 paires"]
    assert [en.n("verdict.pairs", n) for n in (0, 1, 2)] == ["0 pairs", "1 pair", "2 pairs"]
    # French "many" (millions) is not written in the catalogue: "other" stands for it.
    assert fr.n("verdict.pairs", 1_000_000) == f"1{NNBSP}000{NNBSP}000 paires"
    # A phrase written only in plural forms takes its form from an integer count.
    assert fr("xlsx.skipped", count=1, why="x", rows="3") == "1 × x (ligne 3)"
    assert fr("xlsx.skipped", count=2, why="x", rows="3, 4") == "2 × x (lignes 3, 4)"


def test_a_language_may_write_any_cldr_form(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = dict(messages())
    catalogue["x.one"] = {"en": "{n} thing", "fr": "{n} chose"}
    catalogue["x.many"] = {"fr": "{n} de choses"}
    catalogue["x.other"] = {"en": "{n} things", "fr": "{n} choses"}
    t = Catalog("fr")
    monkeypatch.setattr(t, "_messages", catalogue)
    assert t.n("x", 2) == "2 choses"
    assert t.n("x", 2_000_000) == f"2{NNBSP}000{NNBSP}000 de choses"


def test_the_loader_refuses_a_plural_form_without_other() -> None:
    with pytest.raises(ValueError, match=r"x\.few.*x\.other"):
        check_plural_forms({"x.few": {"en": "a"}, "x.one": {"en": "b"}})
    with pytest.raises(ValueError, match="'fr'"):
        check_plural_forms({"x.one": {"en": "a", "fr": "b"}, "x.other": {"en": "c"}})
    check_plural_forms({"x.many": {"fr": "a"}, "x.other": {"en": "b", "fr": "c"}})


def test_every_countable_phrase_has_one_and_other_in_both_languages() -> None:
    keys = messages()
    stems = {k.rpartition(".")[0] for k in keys if k.endswith((".one", ".other"))}
    assert len(stems) > 40
    for stem in stems:
        for form in ("one", "other"):
            assert set(keys[f"{stem}.{form}"]) == {"en", "fr"}, stem
    # No count left in a phrase without plural forms (the count would read "1 lignes"), but for
    # these, reviewed one by one: the count is always 2 or more, or no noun agrees with it.
    never_one = {
        "advisory.duplicate_label",  # a label twice or more
        "advisory.duplicate_channel_status",  # a status twice or more
        "problem.ambiguous_campaign",  # a name that two or more campaigns bear
        "advisory.duplicate_records",  # "…, comptés une fois : {count}"
        "rec.rec_tied_channel",  # a tie is two or more channels
        "md.limited.more",  # "… et {count} de plus"
        "tt.cli.type",  # "{type} : {count}"
        "xlsx.truncated",  # more than 32,767 characters
        "xlsx.note.truncated",  # idem
    }
    counted = {
        k
        for k, v in keys.items()
        if "{count}" in v["fr"] and not k.endswith((".one", ".other", ".many"))
    }
    assert counted <= never_one, sorted(counted - never_one)


def test_numbers_percents_and_dates_are_cldr() -> None:
    fr, en = Catalog("fr"), Catalog("en")
    assert fr.number(5084) == f"5{NNBSP}084" and en.number(5084) == "5,084"
    assert fr.number(48.4) == "48,4" and en.number(48.4) == "48.4"
    assert fr.percent(48.4) == f"48,4{NBSP}%" and en.percent(48.4) == "48.4%"
    assert fr.moment("2026-11-30T15:46:20Z") == "30/11/2026 à 15:46 UTC"
    assert en.moment("2026-11-30T15:46:20Z") == "Nov 30, 2026 at 15:46 UTC"


def test_dates_in_sentences_are_french_and_iso_in_the_audit(french: dict[str, str]) -> None:
    runbook = next(t for w, t in french.items() if w.endswith("RUNBOOK.md"))
    assert re.search(r"le \d\d/\d\d/\d{4} à \d\d:\d\d UTC", runbook)
    page = french[next(w for w in french if w.endswith("strict.html"))]
    assert "le 02/03/2026 à 09:00 UTC" in page  # the footer
    assert GENERATED_AT in page  # the audit block


def test_the_single_pair_headline_agrees_in_number(french: dict[str, str]) -> None:
    headline = f"1 paire{NBSP}: 1 se synchronisera, 0 non"
    assert headline in french["single terminal"]
    for where, text in french.items():
        if where.startswith("single") and where.endswith((".html", ".md", ".xlsx")):
            assert headline in text, where


# ------------------------------------------------------------------------------------------------
# The findings of the review, one by one, on rendered output
# ------------------------------------------------------------------------------------------------


def _all(french: dict[str, str]) -> str:
    return "\n".join(french.values()).replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("se synchroniseront, 0 non", None),
        (
            "Passez les",
            "Faites passer au statut « Engaged » les 66 membres ayant le statut « Opened ».",
        ),
        ("lignes sans channel", None),
        ("Réalisé par", "À réaliser par : administrateur Salesforce"),
        ("Salesforce seulement", "Uniquement dans Salesforce"),
        ("canal seulement", None),
        ("appliqué en mémoire", "vérifié par simulation"),
        ("Caractères dessinés", "Caractères rendus visibles"),
        ("Fichiers lus, tels que lus", "Fichiers sources, tels qu’ils ont été lus"),
        ("bloque la synchronisation, ", "3 libellés bloquants, dont 3 quasi-correspondances"),
        ("× quasi-correspondance", None),
        ("Ordre\n", "Ordre de tri"),
        ("Langue fr", "français"),
        ("boîte de synchronisation", None),
    ],
)
def test_each_finding_is_corrected(french: dict[str, str], wrong: str, right: str | None) -> None:
    text = _all(french)
    assert wrong not in text
    if right is not None:
        assert right in text


def test_the_catalogue_corrections_of_the_review() -> None:
    t = Catalog("fr")
    assert t("constraint.mk_admin_only").startswith("Seul un administrateur Marketo peut")
    assert "Admin > Balises > Canal" in t("constraint.mk_admin_only")
    assert "est limité à 40 caractères" in t("advisory.label_too_long", label="x", length=41)
    assert "ses membres y sont transférés" in t("actnote.merge")
    assert "de type Événement" in t("constraint.mk_event_locked")
    assert "Synchronisation de la campagne Salesforce" in t(
        "act.sync_other_campaign", label="x", target="y"
    )
    assert "« Envoyé »" in t("rec.rec_salesforce_defaults").replace(NNBSP, " ")
    assert "renseigne le champ Type avec le nom du canal" in t(
        "advisory.type_mismatch", type="a", channel="b"
    )
    assert "(Étape\u00a0: 60, Succès\u00a0: non)" in t(
        "act.add_channel_status", label="x", step=60, success="non"
    )
    assert t("program_type.event") == "Événement"
    # One way to say the Responded flag: "marqué Répondu", never "statut répondu".
    for key, entry in messages().items():
        assert "statut répondu" not in entry["fr"], key
        assert "statut « Répondu »" not in entry["fr"], key


def test_usage_errors_of_a_french_run_are_french(tmp_path: Path) -> None:
    args = [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "--lang",
        "fr",
    ]
    result = CliRunner().invoke(cli.app, [*args, "--delimiter", "statuses=;;"])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "n’est pas un seul caractère" in line and "\n" not in line, line
    assert f"séparateur «{NNBSP};;{NNBSP}»" in line  # the value as given, typography around it
    result = CliRunner().invoke(cli.app, [*args, "-o", "-", "-o", "-"])
    assert result.exit_code == 2
    assert "un seul rapport peut aller sur la sortie standard" in result.stderr


def test_input_errors_of_a_french_run_are_french() -> None:
    # One campaign's statuses pasted without naming the campaign: one French line, exit 2.
    result = CliRunner().invoke(
        cli.app,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-statuses-pasted.txt"),
            "--lang",
            "fr",
        ],
    )
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line
    assert "salesforce-statuses-pasted.txt:1" in line
    assert "ces statuts ne désignent aucune campagne" in line
    assert "désignez la campagne avec --campaign ID_OU_NOM" in line


def test_reader_errors_of_a_french_run_are_french(tmp_path: Path) -> None:
    broken = tmp_path / "channels.json"
    broken.write_text('{"success": true, "result": [', encoding="utf-8")
    result = CliRunner().invoke(
        cli.app,
        ["compare", str(broken), str(SAMPLES / "salesforce-member-statuses.csv"), "--lang", "fr"],
    )
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and "JSON invalide" in line, line
    assert "enregistrez la réponse de l’API exactement telle que reçue" in line


def test_option_errors_of_a_french_run_are_french() -> None:
    args = [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "--lang",
        "fr",
    ]
    result = CliRunner().invoke(cli.app, [*args, "--generated-at", "hier"])
    assert result.exit_code == 2
    assert f"--generated-at «{NNBSP}hier{NNBSP}» n’est pas une date-heure ISO" in result.stderr
    result = CliRunner().invoke(cli.app, [*args, "--column", "label"])
    assert result.exit_code == 2
    assert "n’est pas de la forme CHAMP=EN-TÊTE" in result.stderr


def test_file_errors_of_a_french_run_are_french(tmp_path: Path) -> None:
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    picture = tmp_path / "canaux.csv"
    picture.write_bytes(b"%PDF-1.7\n")
    statuses = str(SAMPLES / "salesforce-member-statuses.csv")
    for path, said in (
        (empty, "le fichier est vide (0 octet) — exportez-le à nouveau"),
        (picture, "c’est un document PDF, pas un tableau"),
        (tmp_path / "absent.json", "fichier introuvable — vérifiez le chemin et l’orthographe"),
    ):
        result = CliRunner().invoke(cli.app, ["compare", str(path), statuses, "--lang", "fr"])
        assert result.exit_code == 2
        assert said in result.stderr, result.stderr

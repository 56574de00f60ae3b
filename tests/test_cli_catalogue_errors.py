"""Every error a person reads comes from the catalogue, in English and French (brief cliwords,
item 3): no error of statusdiff is built from a literal English string, the XLSX size error and
the errors of a broken --templates folder speak the language of --lang, and so do the input
errors that were still written in English."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff import errors
from statusdiff.cli import app
from statusdiff.render import xlsx

from .conftest import FIXTURES, ROOT, SAMPLES, sample_args, spaced

PACKAGE = ROOT / "statusdiff"
BAD = FIXTURES / "bad"


def _error_classes() -> set[str]:
    import statusdiff.cli
    import statusdiff.read  # noqa: F401

    found: set[str] = set()
    todo: list[type] = [errors.StatusDiffError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _literal(node: ast.expr | None) -> bool:
    """A string written in the code: a constant, an f-string, or a sum of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _literal(node.left) or _literal(node.right)
    return False


def test_no_error_is_built_from_a_literal_english_string() -> None:
    names = _error_classes()
    assert {"InputError", "UsageError", "RenderError", "OutputError", "WorkbookError"} <= names
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in names:
                continue
            message = node.args[0] if node.args else None
            hint = next((k.value for k in node.keywords if k.arg == "hint"), None)
            if _literal(message) or _literal(hint):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "the 'Statuses' sheet would need more rows than Excel allows — use the JSON report "
            "for a result this large",
        ),
        (
            "fr",
            "la feuille « Statuts » demanderait plus de lignes qu’Excel n’en permet — utilisez "
            "le rapport JSON pour un résultat de cette taille",
        ),
    ],
)
def test_xlsx_too_many_rows_names_the_report_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 20)
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(app, sample_args("-o", str(out), "--lang", lang))
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert spaced(line) == f"error: {out}: {expected}"
    assert not out.exists()


def _broken_templates(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "brand"
    shutil.copytree(ROOT / "templates", folder)
    target = folder / name
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "old", "new", "english", "french"),
    [
        (
            "report.html.j2",
            "{% for r in c.rows %}",
            "{% for r in c.rows %",
            "template syntax error: ",
            "erreur de syntaxe dans le modèle : ",
        ),
        (
            "report.html.j2",
            "{{ view.title }}",
            "{{ view.no_such_thing }}",
            "template uses an undefined name: ",
            "le modèle utilise un nom non défini : ",
        ),
        (
            "report.css",
            "",
            "</style>",
            "report.css contains '</style', which would end the inline element early",
            "report.css contient « </style », qui fermerait trop tôt l’élément intégré",
        ),
    ],
)
def test_broken_templates_are_said_in_the_language(
    tmp_path: Path, name: str, old: str, new: str, english: str, french: str
) -> None:
    folder = _broken_templates(tmp_path, name, old, new)
    for lang, said, hint in (
        ("en", english, "fix the template, or leave out --templates to use the bundled ones"),
        ("fr", french, "corrigez le modèle, ou omettez --templates pour utiliser ceux fournis"),
    ):
        out = tmp_path / f"report-{lang}.html"
        args = sample_args("-o", str(out), "--templates", str(folder), "--lang", lang)
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.splitlines()
        line = spaced(line)
        assert line.startswith("error: ") and name in line, line
        assert said in line
        assert line.endswith(f" — {hint}")
        assert not out.exists()


@pytest.mark.parametrize(
    ("args", "french"),
    [
        (["inspect", str(BAD / "zip-archive.csv")], "c’est une archive zip, pas un classeur"),
        (["inspect", str(BAD / "encrypted.xlsx")], "le classeur est protégé par un mot de passe"),
        (
            ["inspect", str(BAD / "ambiguous-role.csv")],
            "impossible de dire ce que contient ce fichier : ses en-têtes conviennent à "
            "channels et pairs — passez --role avec l’un d’eux",
        ),
        (
            ["inspect", str(BAD / "header-only.csv")],
            "aucune ligne de données après l’en-tête (ligne 1)",
        ),
        (
            [
                "compare",
                "--channels",
                str(SAMPLES / "salesforce-member-statuses.csv"),
                str(SAMPLES / "marketo-channels.json"),
            ],
            "ceci ressemble à des statuts de membres de campagne Salesforce "
            "(CampaignMemberStatus), pas à des canaux Marketo — vérifiez l’ordre des fichiers",
        ),
        (
            ["compare", str(SAMPLES / "marketo-channels.json"), str(BAD / "missing-label.csv")],
            "aucun en-tête statuses : il manque label (en-têtes trouvés : 'Id', 'CampaignId', "
            "'HasResponded', 'IsDefault') — les noms acceptés sont label: Label",
        ),
        (
            ["compare", str(SAMPLES / "marketo-channels.json"), str(BAD / "missing-label.csv")],
            " ; ou associez une colonne avec --column ; ou indiquez son rôle avec --channels FILE",
        ),
        (
            ["compare", str(SAMPLES / "marketo-channels.json"), str(BAD / "ambiguous-role.csv")],
            "— indiquez son rôle avec --channels FILE ou --pairs FILE",
        ),
    ],
)
def test_input_errors_in_french(args: list[str], french: str) -> None:
    result = CliRunner().invoke(app, [*args, "--lang", "fr"])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    assert french in spaced(line)

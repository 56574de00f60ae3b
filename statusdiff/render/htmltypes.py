"""The HTML report's view types: frozen dataclasses of display-ready strings.

They hold what the template prints, already in the report's language and never escaped (the
template's autoescape does that). render/htmlview.py builds them; render/htmlplan.py decides, before
anything is built, what the page has room for.
"""

from __future__ import annotations

from dataclasses import dataclass

from .closing import HtmlView


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a label: plain text, or one character drawn and explained."""

    text: str
    """The label's own characters, exactly: what a selection copies."""
    cls: str = ""
    """'' plain; 'inv' an invisible character (drawn by its glyph); 'chg' a character of a near
    miss; 'gap' a place where the label lacks characters (no text of its own)."""
    title: str = ""
    """Code point and Unicode name (or what is missing), shown on hover."""
    glyph: str = ""
    """What is drawn in place of the text ('' draws the text): the stylesheet prints it as
    generated content, so it is seen but never selected nor copied."""


Label = tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of a definition list: a name and its value."""

    name: str
    value: str
    cls: str = ""
    """'mono' to print the value in a fixed-width font (hashes, IDs, times)."""


@dataclass(frozen=True, slots=True)
class InputView:
    """One input file in the audit block: what it is, how it was read, what was left out."""

    role: str
    file: str
    sha256: str
    size: str
    format: tuple[str, ...]
    read: tuple[str, ...]
    columns: str
    skipped: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stat:
    """A number of the verdict banner."""

    value: str
    label: str
    cls: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One part of the banner's proportion bar (inline SVG: widths are attributes, not styles)."""

    x: str
    width: str
    cls: str


@dataclass(frozen=True, slots=True)
class MarkView:
    """A legend entry: the mark (its class draws the icon) and what it means."""

    cls: str
    text: str
    meaning: str


@dataclass(frozen=True, slots=True)
class CharView:
    """A legend entry for a character drawn in the report."""

    glyph: str
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Blocking:
    """A blocking label of a pair that has no detail section, drawn in its summary row."""

    label: Label
    target: Label
    """For a near miss: the channel status it was likely meant to be."""
    cls: str = ""
    """'mk' for a channel status the campaign lacks (it blocks under --strict only)."""


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One pair in the summary table (the only place a pair that will sync appears)."""

    index: str
    anchor: str
    """'' when the pair has no detail section."""
    program: str
    channel: str
    campaign: str
    state: str
    """ok, no or un: the row's class, used by the filter and the colours."""
    verdict: str
    findings: str
    fix: str
    labels: tuple[Blocking, ...] = ()
    """For a pair that will not sync and has no detail section: what blocks it (then findings is
    empty)."""


@dataclass(frozen=True, slots=True)
class ChannelRow:
    """One channel in the per-channel count of a big run."""

    channel: str
    pairs: str
    ok: str
    no: str
    un: str


@dataclass(frozen=True, slots=True)
class ChannelsView:
    """Every pair counted by channel and verdict: how a big run summarises the pairs that sync."""

    rows: tuple[ChannelRow, ...]
    more: str


@dataclass(frozen=True, slots=True)
class Chunk:
    """A block of summary rows, printed as its own table.

    NOTE: one table of 50,000 rows takes a browser about ten seconds to lay out as it loads; blocks
    of CHUNK rows, each skipped while off screen (content-visibility), open in about one.
    """

    caption: str
    """The visible caption (the first block only)."""
    label: str
    """The accessible name of the other blocks: which pairs they hold."""
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One line of a pair's side-by-side table: a channel status, a campaign status, or both."""

    cls: str
    """r-exact, r-near, r-sf, r-mk or r-pseudo (the stylesheet draws an icon for each), plus
    'blk' when the row blocks the sync."""
    mark: str
    reasons: str
    note: str
    status: Label
    step: str
    success: str
    hidden: str
    label: Label
    responded: str
    default: str
    sort_order: str
    members: str


@dataclass(frozen=True, slots=True)
class AlternativeView:
    """A campaign that already fits the channel (option A)."""

    name: str
    campaign_id: str
    score: str


@dataclass(frozen=True, slots=True)
class BlastView:
    """Another pair on the channel, seen through option C."""

    index: str
    anchor: str
    program: str
    campaign: str
    change: str
    cls: str


@dataclass(frozen=True, slots=True)
class Badge:
    """A short tag beside an option's title."""

    text: str
    cls: str


@dataclass(frozen=True, slots=True)
class OptionView:
    """One way out, ready to print."""

    key: str
    title: str
    cls: str
    """'rec' for the recommended option, 'nf' for one not possible here."""
    badges: tuple[Badge, ...]
    owner: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    """What to watch for, each once with the steps it concerns."""
    constraints: tuple[str, ...]
    alternatives: tuple[AlternativeView, ...]
    alternatives_more: str
    blast: tuple[BlastView, ...]
    blast_summary: str
    blast_more: str
    alternatives_caption: str = ""
    """Caption of the alternatives table ('' keeps the default)."""


@dataclass(frozen=True, slots=True)
class MemberView:
    """One pair of a group that shares a diagnosis."""

    index: str
    anchor: str
    program: str
    campaign: str
    campaign_id: str
    campaign_type: str
    source: str
    counts: tuple[str, ...] = ()
    """Members holding each blocking label of the group (with a members export)."""
    fix: str = ""
    """The pair's recommended fix, when it is not the same for the whole group."""


@dataclass(frozen=True, slots=True)
class PairView:
    """A pair that will not sync in full, or several that share the very same diagnosis and fix.

    Pairs share a section when their channel, their campaign's statuses (label, responded,
    default, sort order, members) and their plan are the same: campaigns cloned from one template
    usually are. The section then lists every pair once and explains them once.
    """

    index: str
    anchor: str
    title: str
    facts: tuple[Fact, ...]
    """For a single pair: what its title does not say."""
    members: tuple[MemberView, ...]
    """For a group: the pairs it holds, all of them unless the page's budget is spent (empty for a
    single pair)."""
    members_more: str
    """For a group: how many of its pairs are not listed (they link here from the summary)."""
    count_labels: tuple[Label, ...]
    """For a group with a members export: the blocking labels whose members each pair counts."""
    per_pair_fix: bool
    """For a group: whether the recommended fix differs from pair to pair (the table says it)."""
    caption: str
    rows: tuple[StatusRow, ...]
    advisories: tuple[str, ...]
    recommendation: str
    options: tuple[OptionView, ...]


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """A pair that will sync, its statuses side by side: the evidence a ticket attaches."""

    index: str
    anchor: str
    title: str
    caption: str
    rows: tuple[StatusRow, ...]


@dataclass(frozen=True, slots=True)
class UnresolvedView:
    """A pairing that names something absent from the exports."""

    index: str
    anchor: str
    title: str
    reason: str
    candidates: str
    advisories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AdvisoryGroup:
    """One advisory sentence and the pairs that will sync it concerns (listed once)."""

    text: str
    pairs: tuple[tuple[str, str], ...]
    """(pair number, anchor or '') for each pair, up to LIST_LIMIT."""
    more: str


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One campaign against one channel."""

    text: str
    cls: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One campaign of the matrix."""

    campaign: str
    campaign_id: str
    cells: tuple[MatrixCell, ...]
    closest: str
    fits: str


@dataclass(frozen=True, slots=True)
class MatrixView:
    """The compatibility matrix: campaigns × channels."""

    channels: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    left_out: str


@dataclass(frozen=True, slots=True)
class Banner:
    """The verdict at the top of the first page."""

    headline: str
    cls: str
    """ok when every pair will sync, no otherwise, empty without pairs."""
    subline: tuple[str, ...]
    stats: tuple[Stat, ...]
    bar: tuple[Bar, ...]
    rule: str
    rule_explained: str
    rule_note: str
    limited: tuple[str, ...] = ()
    """When the page was kept light: what is shown only in summary, and where the rest is."""


@dataclass(frozen=True, slots=True)
class Audit:
    """How the report was made: tool, time, options, and every input as read."""

    facts: tuple[Fact, ...]
    options: tuple[Fact, ...]
    inputs: tuple[InputView, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TemplateView:
    """One Campaign Type template held against its channel (compare --type-templates)."""

    anchor: str
    title: str
    channel: str
    cls: str
    """ok, no, or un (no channel of that name: not checked)."""
    verdict: str
    caption: str
    rows: tuple[StatusRow, ...]
    advisories: tuple[str, ...]
    fixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TemplatesView:
    """The Templates section: placed before the pairs."""

    headline: str
    items: tuple[TemplateView, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the template prints."""

    lang: str
    title: str
    version: str
    generated_at: str
    banner: Banner
    audit: Audit
    marks: tuple[MarkView, ...]
    chars: tuple[CharView, ...]
    has_members: bool
    """Whether a members export was given (the status tables then show a Members column)."""
    sf_span: str
    """How many columns the Salesforce side of a status table spans."""
    chunks: tuple[Chunk, ...]
    """The summary rows, in blocks."""
    total: str
    pairs: tuple[PairView, ...]
    unresolved: tuple[UnresolvedView, ...]
    advisories: tuple[AdvisoryGroup, ...]
    matrix: MatrixView | None
    lists_compatible: bool = True
    """Whether the summary lists the pairs that will sync (small runs), or only counts them."""
    channels: ChannelsView | None = None
    """Big runs: every pair counted by channel."""
    summary_more: str = ""
    """Why some pairs have no row in the summary, and where they are."""
    details_note: str = ""
    """When not every pair that will not sync has a detail section: which ones have."""
    unresolved_more: str = ""
    advisories_more: str = ""
    templates: TemplatesView | None = None
    """Campaign Type templates checked against their channels (None when none were given)."""
    closing: HtmlView | None = None
    """With --baseline: the outcome and the plan check, shown first (render/closing.py)."""
    evidence: tuple[EvidenceView, ...] = ()
    """Pairs that will sync, side by side (up to EVIDENCE_LIMIT)."""
    evidence_open: bool = True
    """Whether their tables are shown open (few of them) or collapsed (many)."""
    evidence_more: str = ""
    """How many pairs that will sync have no evidence table here (the workbook has them)."""

"""The matching engine: for a post, the ten best counterpart posts and enterprises with a score and its reasons.

Five parts, each between 0 and 1, weighted by settings.HONGYIN_MATCHING_WEIGHTS (defaults in WEIGHTS):

- chain: the same chain node, a parent or child node, the upstream/downstream adjacent segment (from the chain
  tree: a demand looks upstream for suppliers, a supply downstream for buyers), a sibling node, the same chain;
- text: BM25 relevance (bm25s) of the counterpart's jieba tokens to the post's, relative to the best candidate;
- fit: budget ranges that overlap and an enterprise large enough for the budget;
- local: both sides are firms of the zone (本地配套);
- history: deals already made between the two enterprises.

The index (the posts' tokens in a bm25s index plus their attributes in numpy arrays, and the enterprises of the
chains in a second one) is built once per process and kept. Each query asks the database one question (the
highest post update and deal id); changed posts are patched into the arrays, new ones go into a small delta
index, and the main index is rebuilt when the delta grows or the index is older than REBUILD_AFTER.
`brute_force_top` scores every post one by one from the database, the reference the benchmark and the tests
compare with.
"""

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import bm25s
import jieba
import numpy as np
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.enterprises.models import ChainMembership, ChainNode, Enterprise, Segment

from .models import COUNTERPART, Deal, Post, PostKind, PostStatus, Visibility

WEIGHTS = {"chain": 0.35, "text": 0.30, "fit": 0.15, "local": 0.10, "history": 0.10}
TOP = 10
DELTA_LIMIT = 500
REBUILD_AFTER = 600.0  # seconds
SEGMENT_ORDER = {Segment.UPSTREAM: 0, Segment.MIDSTREAM: 1, Segment.DOWNSTREAM: 2}
SIZE_RANK = {"large": 3, "medium": 2, "small": 1, "micro": 0}
KIND_CODE = {PostKind.SUPPLY: 0, PostKind.DEMAND: 1, PostKind.COOPERATION: 2}
STOP = frozenset(
    {
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "为",
        "对",
        "用",
        "用于",
        "需要",
        "提供",
        "我们",
        "公司",
        "企业",
        "一批",
        "相关",
        "可以",
        "进行",
        "有限公司",
        "科技",
        "技术",
        "供应",
        "采购",
        "寻求",
        "求购",
        "供货",
        "现货",
        "批量",
        "长期",
        "支持",
        "国产",
        "国产化",
        "替代",
        "定制",
        "开发",
        "要求",
        "优先",
        "考虑",
        "面向",
        "应用",
        "应用于",
        "可",
        "需",
        "供应商",
    }
)

jieba.setLogLevel(60)
logging.getLogger("bm25s").setLevel(logging.INFO)


def weights() -> dict[str, float]:
    w = dict(WEIGHTS)
    w.update(getattr(settings, "HONGYIN_MATCHING_WEIGHTS", {}) or {})
    return w


def tokenize(*texts: str) -> list[str]:
    """jieba's search-mode tokens of the texts: lower-cased, without punctuation, single letters and stop words."""
    out = []
    for text in texts:
        for tok in jieba.lcut_for_search(str(text or "")):
            tok = tok.strip().lower()
            if not tok or tok in STOP:
                continue
            if len(tok) == 1 and not ("\u4e00" <= tok <= "\u9fff"):
                continue
            if not any(ch.isalnum() for ch in tok):
                continue
            out.append(tok)
    return out


def post_tokens(post) -> str:
    return " ".join(tokenize(post.title, post.product, post.description))


# --- the chain tree -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeInfo:
    id: int
    chain_id: int
    path: str
    top: str
    segment: str
    name: str


def _nodes() -> dict[int, NodeInfo]:
    steplen = ChainNode.steplen
    return {
        n["id"]: NodeInfo(n["id"], n["chain_id"], n["path"], n["path"][:steplen], n["segment"], n["name"])
        for n in ChainNode.objects.values("id", "chain_id", "path", "segment", "name")
    }


def node_relation(kind: str, mine: NodeInfo | None, other: NodeInfo | None, same_chain: bool) -> tuple[str, float]:
    """How the counterpart's node stands to the post's: (code, part of the chain score). A demand prefers suppliers
    one segment upstream, a supply buyers one segment downstream; cooperation either way."""
    if not same_chain:
        return "", 0.0
    if mine is None or other is None:
        return "chain", 0.2
    if mine.id == other.id:
        return "same", 1.0
    if mine.path.startswith(other.path) or other.path.startswith(mine.path):
        return "parent", 0.8
    if mine.top == other.top:
        return "sibling", 0.5
    step = SEGMENT_ORDER.get(other.segment, 1) - SEGMENT_ORDER.get(mine.segment, 1)
    if abs(step) == 1:
        code = "upstream" if step < 0 else "downstream"
        preferred = {PostKind.DEMAND: "upstream", PostKind.SUPPLY: "downstream"}.get(kind)
        return code, 0.7 if preferred in (None, code) else 0.45
    return "chain", 0.2


def budget_fit(a_min, a_max, b_min, b_max) -> float:
    """1 when the two budget ranges overlap, less the further apart they are, 0.5 when either is unknown."""
    if a_min is None or a_max is None or b_min is None or b_max is None:
        return 0.5
    if a_min != a_min or b_min != b_min:  # NaN from the arrays
        return 0.5
    if a_min <= b_max and b_min <= a_max:
        return 1.0
    low_max, high_min = (a_max, b_min) if a_max < b_min else (b_max, a_min)
    return float(max(low_max, 0.0) / high_min) if high_min > 0 else 0.0


def needed_rank(budget_max) -> int:
    if budget_max is None or budget_max != budget_max:
        return 0
    return 2 if budget_max >= 1000 else 1 if budget_max >= 200 else 0


def size_fit(rank: int, need: int) -> float:
    return 1.0 if rank >= need else 0.5


def history_part(n: int) -> float:
    return min(1.0, n / 3.0)


def _f(value) -> float:
    return float(value) if value is not None else math.nan


# --- the index ------------------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    kind: str  # "post" or "enterprise"
    id: int
    score: float
    parts: dict
    reasons: list
    enterprise_id: int | None = None


@dataclass
class Index:
    built_at: float = 0.0
    mark: tuple = (None, 0, 0)  # (max updated_at, max post id, max deal id) read at the last sync
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    row: dict = field(default_factory=dict)  # post id -> row
    kind: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    chain: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    node: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # 0: none
    ent: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # 0: a firm outside the platform
    local: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    open: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    deadline: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    zone_wide: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    bmin: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bmax: np.ndarray = field(default_factory=lambda: np.zeros(0))
    size: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    tokens: list = field(default_factory=list)
    main: object = None  # bm25s over rows [0, main_n)
    main_n: int = 0
    delta: object = None  # bm25s over rows [main_n, n)
    nodes: dict = field(default_factory=dict)
    ent_info: dict = field(default_factory=dict)  # enterprise id -> (name, size rank, local)
    ent_rows: dict = field(default_factory=dict)  # enterprise id -> np.array of post rows
    partners: dict = field(default_factory=dict)  # enterprise id -> {other enterprise id: deals}
    # the enterprises of each chain, with their own bm25s index
    chains: dict = field(default_factory=dict)  # chain id -> ChainEnterprises
    rebuilds: int = 0


@dataclass
class ChainEnterprises:
    ids: np.ndarray
    node: np.ndarray
    size: np.ndarray
    local: np.ndarray
    tokens: list
    bm25: object


_lock = threading.Lock()
_index: Index | None = None


def _in_zone(e: dict) -> bool:
    return bool(e["grid_cell_id"] or e["building_id"])


def _enterprise_info(ids=None) -> dict:
    qs = Enterprise.objects.all() if ids is None else Enterprise.objects.filter(pk__in=ids)
    return {
        e["id"]: (e["name"], SIZE_RANK.get(e["size_class"], 1), _in_zone(e))
        for e in qs.values("id", "name", "size_class", "grid_cell_id", "building_id").iterator(chunk_size=5000)
    }


POST_FIELDS = (
    "id",
    "kind",
    "chain_id",
    "node_id",
    "enterprise_id",
    "status",
    "deadline",
    "visibility",
    "budget_min",
    "budget_max",
    "tokens",
)


def _bm25(token_lists: list[list[str]]):
    if not token_lists:
        return None
    retriever = bm25s.BM25()
    retriever.index([t or ["\u3000"] for t in token_lists], show_progress=False)
    return retriever


def _partners() -> dict:
    out: dict = {}
    for a, b in (
        Deal.objects.exclude(enterprise_a=None)
        .exclude(enterprise_b=None)
        .values_list("enterprise_a_id", "enterprise_b_id")
    ):
        out.setdefault(a, {}).setdefault(b, 0)
        out[a][b] += 1
        out.setdefault(b, {}).setdefault(a, 0)
        out[b][a] += 1
    return out


def _read_mark() -> tuple:
    p = Post.objects.aggregate(u=Max("updated_at"), n=Max("id"))
    d = Deal.objects.aggregate(n=Max("id"))
    return (p["u"], p["n"] or 0, d["n"] or 0)


def _fill_rows(idx: Index, rows: list[dict], start: int) -> None:
    for i, r in enumerate(rows, start=start):
        idx.kind[i] = KIND_CODE[r["kind"]]
        idx.chain[i] = r["chain_id"]
        idx.node[i] = r["node_id"] or 0
        idx.ent[i] = r["enterprise_id"] or 0
        info = idx.ent_info.get(r["enterprise_id"])
        idx.local[i] = bool(info and info[2])
        idx.size[i] = info[1] if info else 1
        idx.open[i] = r["status"] == PostStatus.OPEN
        idx.deadline[i] = r["deadline"].toordinal()
        idx.zone_wide[i] = r["visibility"] == Visibility.ZONE
        idx.bmin[i] = _f(r["budget_min"])
        idx.bmax[i] = _f(r["budget_max"])


def _build() -> Index:
    idx = Index()
    idx.mark = _read_mark()
    idx.nodes = _nodes()
    idx.ent_info = _enterprise_info()
    rows = list(Post.objects.order_by("id").values(*POST_FIELDS).iterator(chunk_size=5000))
    n = len(rows)
    idx.ids = np.fromiter((r["id"] for r in rows), np.int64, n)
    idx.row = {int(pk): i for i, pk in enumerate(idx.ids)}
    idx.kind, idx.size = np.zeros(n, np.int8), np.zeros(n, np.int8)
    idx.chain, idx.node, idx.ent, idx.deadline = (np.zeros(n, np.int64) for _ in range(4))
    idx.local, idx.open, idx.zone_wide = (np.zeros(n, bool) for _ in range(3))
    idx.bmin, idx.bmax = np.full(n, np.nan), np.full(n, np.nan)
    _fill_rows(idx, rows, 0)
    idx.tokens = [r["tokens"].split() for r in rows]
    idx.main, idx.main_n, idx.delta = _bm25(idx.tokens), n, None
    _link(idx)
    idx.partners = _partners()
    idx.chains = _chain_enterprises(idx)
    idx.built_at = time.monotonic()
    return idx


def _link(idx: Index) -> None:
    by_ent: dict = {}
    for i, e in enumerate(idx.ent.tolist()):
        if e:
            by_ent.setdefault(e, []).append(i)
    idx.ent_rows = {e: np.array(rs, np.int64) for e, rs in by_ent.items()}


@lru_cache(maxsize=50_000)
def _name_tokens_cached(name: str) -> tuple:
    return tuple(tokenize(name))


def _name_tokens(name: str) -> list[str]:
    return list(_name_tokens_cached(name))


def _chain_enterprises(idx: Index) -> dict:
    """Per chain: its member enterprises and the enterprises that posted on it, each a document of its name, its
    nodes' names and the products of its posts."""
    out = {}
    node_of: dict = {}
    names: dict = {}
    for m in ChainMembership.objects.values("enterprise_id", "node_id", "node__chain_id", "node__name"):
        key = (m["node__chain_id"], m["enterprise_id"])
        node_of.setdefault(key, m["node_id"])
        names.setdefault(key, []).extend(_name_tokens(m["node__name"]))
    for i, e in enumerate(idx.ent.tolist()):
        if e:
            key = (int(idx.chain[i]), e)
            node_of.setdefault(key, int(idx.node[i]) or 0)
            names.setdefault(key, []).extend(idx.tokens[i][:12])
    chains: dict = {}
    for chain_id, e in node_of:
        chains.setdefault(chain_id, []).append(e)
    for chain_id, ents in chains.items():
        ents = sorted(e for e in ents if e in idx.ent_info)
        docs = [_name_tokens(idx.ent_info[e][0]) + names[(chain_id, e)] for e in ents]
        out[chain_id] = ChainEnterprises(
            ids=np.array(ents, np.int64),
            node=np.array([node_of[(chain_id, e)] or 0 for e in ents], np.int64),
            size=np.array([idx.ent_info[e][1] for e in ents], np.int8),
            local=np.array([idx.ent_info[e][2] for e in ents], bool),
            tokens=docs,
            bm25=_bm25(docs),
        )
    return out


def _sync(idx: Index) -> Index:
    """Bring the index up to date: patch changed posts, add new ones to the delta, rebuild when due."""
    mark = _read_mark()
    if mark == idx.mark:
        return idx
    if time.monotonic() - idx.built_at > REBUILD_AFTER:
        return _build_counted(idx)
    max_deal = mark[2]
    old_updated, old_max_id, old_deal = idx.mark
    qs = Post.objects.all()
    if old_updated is not None:
        qs = qs.filter(updated_at__gte=old_updated) | Post.objects.filter(id__gt=old_max_id)
    rows = list(qs.order_by("id").values(*POST_FIELDS))
    new = [r for r in rows if r["id"] not in idx.row]
    known = [r for r in rows if r["id"] in idx.row]
    fresh_ents = {r["enterprise_id"] for r in new if r["enterprise_id"] and r["enterprise_id"] not in idx.ent_info}
    if fresh_ents:
        idx.ent_info.update(_enterprise_info(fresh_ents))
    for r in known:
        _fill_rows(idx, [r], idx.row[r["id"]])
    if new:
        if len(idx.ids) + len(new) - idx.main_n > DELTA_LIMIT:
            return _build_counted(idx)
        start, n = len(idx.ids), len(new)
        idx.ids = np.concatenate([idx.ids, np.array([r["id"] for r in new], np.int64)])
        grow = {
            "kind": np.int8,
            "size": np.int8,
            "chain": np.int64,
            "node": np.int64,
            "ent": np.int64,
            "deadline": np.int64,
            "local": bool,
            "open": bool,
            "zone_wide": bool,
        }
        for name, dtype in grow.items():
            setattr(idx, name, np.concatenate([getattr(idx, name), np.zeros(n, dtype)]))
        idx.bmin = np.concatenate([idx.bmin, np.full(n, np.nan)])
        idx.bmax = np.concatenate([idx.bmax, np.full(n, np.nan)])
        for i, r in enumerate(new, start=start):
            idx.row[r["id"]] = i
        _fill_rows(idx, new, start)
        idx.tokens.extend(r["tokens"].split() for r in new)
        idx.delta = _bm25(idx.tokens[idx.main_n :])
        _link(idx)
        idx.chains = _chain_enterprises(idx)
    if max_deal != old_deal:
        idx.partners = _partners()
    idx.mark = mark
    return idx


def _build_counted(previous: Index | None) -> Index:
    idx = _build()
    idx.rebuilds = (previous.rebuilds if previous else 0) + 1
    return idx


def index() -> Index:
    global _index
    with _lock:
        _index = _build_counted(None) if _index is None else _sync(_index)
        return _index


def reset() -> None:
    """Forget the index (tests that change the data under it; the next query rebuilds)."""
    global _index
    with _lock:
        _index = None


def _text_scores(idx: Index, query: list[str]) -> np.ndarray:
    n = len(idx.ids)
    scores = np.zeros(n, dtype=np.float64)
    if not query or n == 0:
        return scores
    if idx.main is not None and idx.main_n:
        scores[: idx.main_n] = idx.main.get_scores(query)
    if idx.delta is not None and n > idx.main_n:
        scores[idx.main_n :] = idx.delta.get_scores(query)
    return scores


# --- the query ------------------------------------------------------------------------------------------------------


@dataclass
class Query:
    """What the engine needs of the post it matches for."""

    id: int
    kind: str
    chain_id: int
    node_id: int | None
    enterprise_id: int | None
    budget_min: float
    budget_max: float
    tokens: list

    @classmethod
    def of(cls, post: Post) -> "Query":
        return cls(
            id=post.pk,
            kind=post.kind,
            chain_id=post.chain_id,
            node_id=post.node_id,
            enterprise_id=post.enterprise_id,
            budget_min=_f(post.budget_min),
            budget_max=_f(post.budget_max),
            tokens=(post.tokens or post_tokens(post)).split(),
        )


def _node_scores(idx: Index, q: Query, nodes_of_docs: np.ndarray, chains_of_docs: np.ndarray) -> np.ndarray:
    """The chain part of every document, by looking up each distinct node once."""
    mine = idx.nodes.get(q.node_id)
    out = np.zeros(len(nodes_of_docs))
    same_chain = chains_of_docs == q.chain_id
    for node_id in np.unique(nodes_of_docs[same_chain]).tolist():
        _code, part = node_relation(q.kind, mine, idx.nodes.get(node_id), True)
        out[same_chain & (nodes_of_docs == node_id)] = part
    return out


def _history(idx: Index, q: Query, ents: np.ndarray) -> np.ndarray:
    out = np.zeros(len(ents))
    for other, n in idx.partners.get(q.enterprise_id, {}).items():
        out[ents == other] = history_part(n)
    return out


def _local_of(idx: Index, q: Query) -> bool:
    info = idx.ent_info.get(q.enterprise_id)
    return bool(info and info[2])


def eligible_posts(idx: Index, q: Query, today: date) -> np.ndarray:
    want = KIND_CODE[COUNTERPART[q.kind]]
    mask = (idx.kind == want) & idx.open & (idx.deadline >= today.toordinal()) & (idx.ids != q.id)
    mask &= idx.zone_wide | (idx.chain == q.chain_id)
    if q.enterprise_id:
        mask &= idx.ent != q.enterprise_id
    return mask


def _top(total: np.ndarray, k: int) -> np.ndarray:
    """The k best positions and every one tied with the k-th (the caller breaks ties by id, as scoring every post
    one by one does)."""
    if len(total) <= k:
        return np.arange(len(total))
    kth = -np.partition(-total, k - 1)[k - 1]
    return np.flatnonzero(total >= kth - 1e-9)


def top_posts(q: Query, *, idx: Index | None = None, today: date | None = None, limit: int = TOP) -> list[Candidate]:
    idx = idx or index()
    today = today or timezone.localdate()
    w = weights()
    mask = eligible_posts(idx, q, today)
    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    text = _text_scores(idx, q.tokens)[rows]
    best = text.max() if len(text) else 0.0
    text = text / best if best > 0 else text
    chain = _node_scores(idx, q, idx.node[rows], idx.chain[rows])
    bmin, bmax = idx.bmin[rows], idx.bmax[rows]
    if math.isnan(q.budget_min) or math.isnan(q.budget_max):
        budget = np.full(len(rows), 0.5)
    else:
        known = ~(np.isnan(bmin) | np.isnan(bmax))
        overlap = (bmin <= q.budget_max) & (q.budget_min <= bmax)
        below = bmax < q.budget_min
        ratio = np.where(below, np.maximum(bmax, 0) / q.budget_min if q.budget_min > 0 else 0.0, 0.0)
        above = ~below
        ratio = np.where(above & (bmin > 0), q.budget_max / np.where(bmin > 0, bmin, 1.0), ratio)
        budget = np.where(known, np.where(overlap, 1.0, ratio), 0.5)
    need = needed_rank(q.budget_max) if q.kind == PostKind.DEMAND else 0
    size = np.where(idx.size[rows] >= need, 1.0, 0.5)
    if q.kind == PostKind.SUPPLY:  # a supplier fits the buyers whose budget its own size can serve
        size = np.ones(len(rows))
    fit = 0.6 * budget + 0.4 * size
    local = (idx.local[rows] & _local_of(idx, q)).astype(float)
    history = _history(idx, q, idx.ent[rows]) if q.enterprise_id else np.zeros(len(rows))
    total = w["chain"] * chain + w["text"] * text + w["fit"] * fit + w["local"] * local + w["history"] * history
    k = min(limit, len(rows))
    pick = _top(total, k)
    order = sorted(pick.tolist(), key=lambda j: (-round(float(total[j]), 9), int(idx.ids[rows[j]])))[:k]
    out = []
    for j in order:
        parts = {
            "chain": float(chain[j]),
            "text": float(text[j]),
            "fit": float(fit[j]),
            "local": float(local[j]),
            "history": float(history[j]),
        }
        r = int(rows[j])
        out.append(
            Candidate(
                "post",
                int(idx.ids[r]),
                round(float(total[j]) * 100, 1),
                parts,
                [],
                int(idx.ent[r]) or None,
            )
        )
    return out


def top_enterprises(q: Query, *, idx: Index | None = None, limit: int = TOP) -> list[Candidate]:
    idx = idx or index()
    ce = idx.chains.get(q.chain_id)
    if ce is None or not len(ce.ids):
        return []
    w = weights()
    mask = ce.ids != (q.enterprise_id or 0)
    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    text = ce.bm25.get_scores(q.tokens)[rows] if (ce.bm25 is not None and q.tokens) else np.zeros(len(rows))
    best = text.max() if len(text) else 0.0
    text = text / best if best > 0 else text
    chain = _node_scores(idx, q, ce.node[rows], np.full(len(rows), q.chain_id))
    need = needed_rank(q.budget_max) if q.kind == PostKind.DEMAND else 0
    fit = np.where(ce.size[rows] >= need, 1.0, 0.5) if q.kind == PostKind.DEMAND else np.full(len(rows), 0.75)
    local = (ce.local[rows] & _local_of(idx, q)).astype(float)
    history = _history(idx, q, ce.ids[rows]) if q.enterprise_id else np.zeros(len(rows))
    total = w["chain"] * chain + w["text"] * text + w["fit"] * fit + w["local"] * local + w["history"] * history
    k = min(limit, len(rows))
    pick = _top(total, k)
    order = sorted(pick.tolist(), key=lambda j: (-round(float(total[j]), 9), int(ce.ids[rows[j]])))[:k]
    out = []
    for j in order:
        parts = {
            "chain": float(chain[j]),
            "text": float(text[j]),
            "fit": float(fit[j]),
            "local": float(local[j]),
            "history": float(history[j]),
        }
        e = int(ce.ids[rows[j]])
        out.append(Candidate("enterprise", e, round(float(total[j]) * 100, 1), parts, [], e))
    return out


# --- reasons --------------------------------------------------------------------------------------------------------


def explain(idx: Index, q: Query, cand: Candidate) -> list[dict]:
    """The reasons behind a candidate's score, as codes with parameters (rendered by `reason_text`)."""
    out = []
    mine = idx.nodes.get(q.node_id)
    if cand.kind == "post":
        r = idx.row[cand.id]
        other_node, other_tokens = idx.nodes.get(int(idx.node[r])), idx.tokens[r]
        same_chain = int(idx.chain[r]) == q.chain_id
        bmin, bmax = idx.bmin[r], idx.bmax[r]
    else:
        ce = idx.chains[q.chain_id]
        j = int(np.flatnonzero(ce.ids == cand.id)[0])
        other_node, other_tokens, same_chain = idx.nodes.get(int(ce.node[j])), ce.tokens[j], True
        bmin = bmax = math.nan
    code, _part = node_relation(q.kind, mine, other_node, same_chain)
    if code:
        out.append(
            {"code": f"chain_{code}", "node": other_node.name if other_node else "", "part": cand.parts["chain"]}
        )
    if cand.parts["text"] > 0:
        seen, words = set(other_tokens), []
        for t in q.tokens:
            if t in seen and t not in words and len(t) > 1:
                words.append(t)
        words.sort(key=len, reverse=True)  # the longest shared words say the most (stable: first seen first)
        words = [w for i, w in enumerate(words) if not any(w in longer for longer in words[:i])]
        out.append({"code": "text", "words": words[:4], "part": cand.parts["text"]})
    if cand.kind == "post" and not (math.isnan(bmin) or math.isnan(q.budget_min)):
        overlap = budget_fit(q.budget_min, q.budget_max, bmin, bmax) == 1.0
        out.append(
            {
                "code": "budget_overlap" if overlap else "budget_apart",
                "min": bmin,
                "max": bmax,
                "part": cand.parts["fit"],
            }
        )
    elif cand.parts["fit"] >= 1.0:
        out.append({"code": "size_fit", "part": cand.parts["fit"]})
    if cand.parts["local"]:
        out.append({"code": "local", "part": 1.0})
    if cand.parts["history"]:
        n = idx.partners.get(q.enterprise_id, {}).get(cand.enterprise_id, 0)
        out.append({"code": "history", "n": n, "part": cand.parts["history"]})
    return out


def reason_text(reason: dict) -> str:
    code = reason.get("code", "")
    node = reason.get("node", "")
    texts = {
        "chain_same": _("同一产业链环节：%(n)s") % {"n": node},
        "chain_parent": _("所属环节相互包含：%(n)s") % {"n": node},
        "chain_sibling": _("同一链段相邻环节：%(n)s") % {"n": node},
        "chain_upstream": _("上游配套环节：%(n)s") % {"n": node},
        "chain_downstream": _("下游应用环节：%(n)s") % {"n": node},
        "chain_chain": _("同一产业链"),
        "local": _("双方均为园区企业（本地配套）"),
        "size_fit": _("企业规模与需求相称"),
    }
    if code in texts:
        return texts[code]
    if code == "text":
        words = "、".join(reason.get("words") or [])
        return _("关键词相关：%(w)s") % {"w": words} if words else _("文本内容相关")
    if code in ("budget_overlap", "budget_apart"):
        span = "%.0f–%.0f" % (reason.get("min") or 0, reason.get("max") or 0)
        if code == "budget_overlap":
            return _("预算区间重合（对方 %(s)s 万元）") % {"s": span}
        return _("预算区间有差距（对方 %(s)s 万元）") % {"s": span}
    if code == "history":
        return _("双方已有 %(n)d 笔成交") % {"n": reason.get("n", 0)}
    return code


def match_post(post: Post, *, limit: int = TOP) -> tuple[list[Candidate], list[Candidate]]:
    """The ten best counterpart posts and the ten best enterprises for a post, each with its reasons."""
    idx = index()
    q = Query.of(post)
    posts = top_posts(q, idx=idx, limit=limit)
    firms = top_enterprises(q, idx=idx, limit=limit)
    for c in posts + firms:
        c.reasons = explain(idx, q, c)
    return posts, firms


# --- the reference: every post scored one by one ------------------------------------------------------------------


def brute_force_top(post: Post, *, limit: int = TOP, today: date | None = None) -> list[tuple[int, float]]:
    """The ten best counterpart posts found by reading every post from the database and scoring each on its own
    (no arrays, no index of the attributes); BM25 relevance from a bm25s index of all the posts built here."""
    today = today or timezone.localdate()
    w = weights()
    q = Query.of(post)
    nodes = _nodes()
    info = _enterprise_info()
    partners = _partners()
    mine = nodes.get(q.node_id)
    want = COUNTERPART[q.kind]
    all_posts = list(Post.objects.order_by("id").values(*POST_FIELDS))
    bm = _bm25([r["tokens"].split() for r in all_posts])
    raw = bm.get_scores(q.tokens) if (bm is not None and q.tokens) else np.zeros(len(all_posts))
    here = info.get(q.enterprise_id)
    q_local = bool(here and here[2])
    scored = []
    for r, text in zip(all_posts, raw.tolist(), strict=True):
        if r["kind"] != want or r["status"] != PostStatus.OPEN or r["deadline"] < today or r["id"] == q.id:
            continue
        if r["visibility"] != Visibility.ZONE and r["chain_id"] != q.chain_id:
            continue
        if q.enterprise_id and r["enterprise_id"] == q.enterprise_id:
            continue
        other = info.get(r["enterprise_id"])
        _code, chain = node_relation(q.kind, mine, nodes.get(r["node_id"]), r["chain_id"] == q.chain_id)
        budget = (
            0.5
            if math.isnan(q.budget_min) or math.isnan(q.budget_max)
            else budget_fit(q.budget_min, q.budget_max, _f(r["budget_min"]), _f(r["budget_max"]))
        )
        rank = other[1] if other else 1
        size = (
            1.0
            if q.kind == PostKind.SUPPLY
            else size_fit(rank, needed_rank(q.budget_max) if q.kind == PostKind.DEMAND else 0)
        )
        local = 1.0 if (q_local and other and other[2]) else 0.0
        n = partners.get(q.enterprise_id, {}).get(r["enterprise_id"], 0) if q.enterprise_id else 0
        scored.append((r["id"], text, chain, 0.6 * budget + 0.4 * size, local, history_part(n)))
    best = max((s[1] for s in scored), default=0.0)
    totals = []
    for pk, text, chain, fit, local, history in scored:
        t = text / best if best > 0 else text
        total = w["chain"] * chain + w["text"] * t + w["fit"] * fit + w["local"] * local + w["history"] * history
        totals.append((pk, total))
    totals.sort(key=lambda x: (-round(x[1], 9), x[0]))
    return [(pk, round(total * 100, 1)) for pk, total in totals[:limit]]

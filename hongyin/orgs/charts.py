"""ECharts options for the figures tab (drawn by static/hongyin/js/app.js); each chart also gets a table."""

import json

RED = ["#C8102E", "#E85D5D", "#F29B9B", "#8C0B20", "#F6C1C1", "#B35A00", "#D99A4E", "#6B6B6B"]


def pie(title: str, pairs: list[tuple[str, int]]) -> str:
    return json.dumps(
        {
            "color": RED,
            "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
            # A legend names every slice (in the page's language); the slices big enough carry name and share.
            "legend": {"type": "scroll", "bottom": 0, "data": [str(k) for k, _v in pairs]},
            "series": [
                {
                    "type": "pie",
                    "radius": ["30%", "55%"],
                    "center": ["50%", "48%"],
                    "top": 20,
                    "bottom": 30,
                    "avoidLabelOverlap": True,
                    "minShowLabelAngle": 10,
                    "label": {"formatter": "{b}\n{d}%", "overflow": "break", "width": 90},
                    "data": [{"name": str(k), "value": v} for k, v in pairs],
                }
            ],
        },
        ensure_ascii=False,
    )


def bars(title: str, pairs: list[tuple[str, int]]) -> str:
    return json.dumps(
        {
            "color": RED,
            "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 40, "right": 10, "bottom": 30, "top": 40},
            "xAxis": {"type": "category", "data": [str(k) for k, _v in pairs]},
            "yAxis": {"type": "value"},
            "series": [{"type": "bar", "data": [v for _k, v in pairs]}],
        },
        ensure_ascii=False,
    )


def lines(title: str, months: list[str], series: list[tuple[str, list[int]]]) -> str:
    return json.dumps(
        {
            "color": RED,
            "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0},
            "grid": {"left": 50, "right": 50, "bottom": 50, "top": 40},
            "xAxis": {"type": "category", "data": months},
            "yAxis": [{"type": "value", "name": s[0]} for s in series][:2],
            "series": [
                {"type": "line", "name": name, "data": data, "yAxisIndex": min(i, 1), "smooth": True}
                for i, (name, data) in enumerate(series)
            ],
        },
        ensure_ascii=False,
    )

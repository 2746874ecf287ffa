"""English names of the reference vocabularies kept as data rows (appeal categories, handling departments).

Their names are data (an administrator may add one), so the names the system ships with are declared here as
messages: a row whose name is one of them reads in the reader's language; a name added later reads as entered."""

from django.utils.translation import pgettext_lazy

NAMES = {
    "department": {
        "工业和信息化局": pgettext_lazy("department", "工业和信息化局"),
        "科技局": pgettext_lazy("department", "科技局"),
        "财政局": pgettext_lazy("department", "财政局"),
        "人社局": pgettext_lazy("department", "人社局"),
        "市场监管局": pgettext_lazy("department", "市场监管局"),
        "金融服务局": pgettext_lazy("department", "金融服务局"),
        "法务服务中心": pgettext_lazy("department", "法务服务中心"),
        "规划和自然资源局": pgettext_lazy("department", "规划和自然资源局"),
        "行政审批服务局": pgettext_lazy("department", "行政审批服务局"),
    },
    "appeal category": {
        "政策咨询与兑现": pgettext_lazy("appeal category", "政策咨询与兑现"),
        "融资服务": pgettext_lazy("appeal category", "融资服务"),
        "人才与用工": pgettext_lazy("appeal category", "人才与用工"),
        "用地与厂房": pgettext_lazy("appeal category", "用地与厂房"),
        "审批服务": pgettext_lazy("appeal category", "审批服务"),
        "市场开拓": pgettext_lazy("appeal category", "市场开拓"),
        "科技创新": pgettext_lazy("appeal category", "科技创新"),
        "法律服务": pgettext_lazy("appeal category", "法律服务"),
        "其他": pgettext_lazy("appeal category", "其他"),
    },
}


def translated(kind: str, name: str) -> str:
    """The name in the active language when the system ships it, else as entered."""
    label = NAMES[kind].get(name or "")
    return str(label) if label is not None else (name or "")

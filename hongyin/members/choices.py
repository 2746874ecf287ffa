from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    UNIVERSITY = "university", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR = "junior", _("初中及以下")


class MemberCategory(models.TextChoices):
    EMPLOYED = "employed", _("在职")
    RETIRED = "retired", _("离退休")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("下岗失业")
    FARMER = "farmer", _("农民")


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class LeaveReason(models.TextChoices):
    TRANSFERRED_OUT = "transferred_out", _("转出")
    DECEASED = "deceased", _("去世")
    EXPELLED = "expelled", _("开除党籍")
    WITHDRAWN = "withdrawn", _("退党")
    ARTICLE_9 = "article_9", _("自行脱党（党章第九条）")


# The 56 official ethnic group names (GB 3304), in the standard order.
ETHNICITIES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
# The names in the reader's language (the stored value stays the official Chinese name).
ETHNICITY_LABELS = {
    "汉族": pgettext_lazy("ethnicity", "汉族"),
    "蒙古族": pgettext_lazy("ethnicity", "蒙古族"),
    "回族": pgettext_lazy("ethnicity", "回族"),
    "藏族": pgettext_lazy("ethnicity", "藏族"),
    "维吾尔族": pgettext_lazy("ethnicity", "维吾尔族"),
    "苗族": pgettext_lazy("ethnicity", "苗族"),
    "彝族": pgettext_lazy("ethnicity", "彝族"),
    "壮族": pgettext_lazy("ethnicity", "壮族"),
    "布依族": pgettext_lazy("ethnicity", "布依族"),
    "朝鲜族": pgettext_lazy("ethnicity", "朝鲜族"),
    "满族": pgettext_lazy("ethnicity", "满族"),
    "侗族": pgettext_lazy("ethnicity", "侗族"),
    "瑶族": pgettext_lazy("ethnicity", "瑶族"),
    "白族": pgettext_lazy("ethnicity", "白族"),
    "土家族": pgettext_lazy("ethnicity", "土家族"),
    "哈尼族": pgettext_lazy("ethnicity", "哈尼族"),
    "哈萨克族": pgettext_lazy("ethnicity", "哈萨克族"),
    "傣族": pgettext_lazy("ethnicity", "傣族"),
    "黎族": pgettext_lazy("ethnicity", "黎族"),
    "傈僳族": pgettext_lazy("ethnicity", "傈僳族"),
    "佤族": pgettext_lazy("ethnicity", "佤族"),
    "畲族": pgettext_lazy("ethnicity", "畲族"),
    "高山族": pgettext_lazy("ethnicity", "高山族"),
    "拉祜族": pgettext_lazy("ethnicity", "拉祜族"),
    "水族": pgettext_lazy("ethnicity", "水族"),
    "东乡族": pgettext_lazy("ethnicity", "东乡族"),
    "纳西族": pgettext_lazy("ethnicity", "纳西族"),
    "景颇族": pgettext_lazy("ethnicity", "景颇族"),
    "柯尔克孜族": pgettext_lazy("ethnicity", "柯尔克孜族"),
    "土族": pgettext_lazy("ethnicity", "土族"),
    "达斡尔族": pgettext_lazy("ethnicity", "达斡尔族"),
    "仫佬族": pgettext_lazy("ethnicity", "仫佬族"),
    "羌族": pgettext_lazy("ethnicity", "羌族"),
    "布朗族": pgettext_lazy("ethnicity", "布朗族"),
    "撒拉族": pgettext_lazy("ethnicity", "撒拉族"),
    "毛南族": pgettext_lazy("ethnicity", "毛南族"),
    "仡佬族": pgettext_lazy("ethnicity", "仡佬族"),
    "锡伯族": pgettext_lazy("ethnicity", "锡伯族"),
    "阿昌族": pgettext_lazy("ethnicity", "阿昌族"),
    "普米族": pgettext_lazy("ethnicity", "普米族"),
    "塔吉克族": pgettext_lazy("ethnicity", "塔吉克族"),
    "怒族": pgettext_lazy("ethnicity", "怒族"),
    "乌孜别克族": pgettext_lazy("ethnicity", "乌孜别克族"),
    "俄罗斯族": pgettext_lazy("ethnicity", "俄罗斯族"),
    "鄂温克族": pgettext_lazy("ethnicity", "鄂温克族"),
    "德昂族": pgettext_lazy("ethnicity", "德昂族"),
    "保安族": pgettext_lazy("ethnicity", "保安族"),
    "裕固族": pgettext_lazy("ethnicity", "裕固族"),
    "京族": pgettext_lazy("ethnicity", "京族"),
    "塔塔尔族": pgettext_lazy("ethnicity", "塔塔尔族"),
    "独龙族": pgettext_lazy("ethnicity", "独龙族"),
    "鄂伦春族": pgettext_lazy("ethnicity", "鄂伦春族"),
    "赫哲族": pgettext_lazy("ethnicity", "赫哲族"),
    "门巴族": pgettext_lazy("ethnicity", "门巴族"),
    "珞巴族": pgettext_lazy("ethnicity", "珞巴族"),
    "基诺族": pgettext_lazy("ethnicity", "基诺族"),
}
ETHNICITY_CHOICES = [(e, ETHNICITY_LABELS[e]) for e in ETHNICITIES]

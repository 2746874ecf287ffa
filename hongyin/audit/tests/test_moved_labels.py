from django.utils import translation

from hongyin.audit.templatetags.audit_labels import object_type_label


def test_events_of_models_that_moved_app_keep_their_label():
    with translation.override("zh-hans"):
        assert object_type_label("appeals.department") == object_type_label("directory.department") == "承办部门"
        assert object_type_label("appeals_config.calendaroverride") == "节假日调整"
        assert object_type_label("nowhere.nothing") == ""

"""The security admin grants a role: choosing the role brings up that role's scope field, and only that one."""

from .conftest import login


def test_the_role_form_follows_the_chosen_role(open_context, server, credentials, screenshot_dir):
    from hongyin.accounts.models import User

    target = User.objects.get(username="member")
    context, _watch = open_context()
    page = context.new_page()
    login(page, "security_admin", credentials)
    page.goto(f"/accounts/users/{target.pk}/roles/")
    form = page.locator("#grant-form")
    assert form.locator("[data-scope-kind]").count() == 0
    for role, kind, name in (
        ("grid_officer", "grid", "grid_cell"),
        ("enterprise_contact", "enterprise", "enterprise_uscc"),
        ("dept_handler", "department", "department"),
        ("branch_secretary", "org", "org"),
    ):
        page.select_option("[data-testid=grant-role-select]", role)
        page.wait_for_selector(f"#grant-form [data-scope-kind={kind}][name={name}]")
        assert page.locator("#grant-form [data-scope-kind]").count() == 1
    page.screenshot(path=str(screenshot_dir / "role-form-org.png"), full_page=True)
    page.select_option("[data-testid=grant-role-select]", "audit_admin")
    page.wait_for_selector("#grant-form [data-scope-kind]", state="detached")
    assert page.locator("[data-testid=grant-role-select]").input_value() == "audit_admin"

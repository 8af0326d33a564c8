"""What an editor does in admin, as test steps."""

from advice.models import Release


def publish_in_admin(editor_client, note: str = "", go_live_at: str = "") -> Release:
    """Publish the draft from admin's “Publish changes” page; the new version."""
    response = editor_client.post(
        "/admin/advice/release/add/", {"note": note, "go_live_at": go_live_at}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Release.objects.order_by("-pk").first()

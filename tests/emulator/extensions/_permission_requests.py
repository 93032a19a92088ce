"""What a ModifyImageAttribute / ModifySnapshotAttribute request adds and removes (a helper, not an extension).

Both actions have two request forms (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html,
API_ModifySnapshotAttribute.html): a structure (`LaunchPermission` / `CreateVolumePermission` with `Add.N`
and `Remove.N` items), or `OperationType` (add | remove) with lists (`UserIds`, `UserGroups` / `GroupNames`,
`OrganizationArns`, `OrganizationalUnitArns`). Each function returns (added, removed) as lists of
permission items ({"UserId": ...}, {"Group": "all"}, {"OrganizationArn": ...}, {"OrganizationalUnitArn": ...}),
whatever the form; moto's own OperationType parsing keeps only the first group / organization / OU.
"""

from __future__ import annotations

SHARING_PRINCIPALS = ("UserId", "OrganizationArn", "OrganizationalUnitArn")


def _items(values, key: str) -> list[dict]:
    return [{key: value} for value in (values or []) if value]


def launch_permission_changes(response) -> tuple[list[dict], list[dict]]:
    structure = response._get_param("LaunchPermission", {}) or {}
    added = list(structure.get("Add", []) or [])
    removed = list(structure.get("Remove", []) or [])
    operation = response._get_param("OperationType")
    if operation in ("add", "remove"):
        items = (
            _items(response._get_param("UserIds", []), "UserId")
            + _items(response._get_param("UserGroups", []), "Group")
            + _items(response._get_param("OrganizationArns", []), "OrganizationArn")
            + _items(response._get_param("OrganizationalUnitArns", []), "OrganizationalUnitArn")
        )
        (added if operation == "add" else removed).extend(items)
    return added, removed


def snapshot_permission_changes(response) -> tuple[list[dict], list[dict]]:
    structure = response._get_param("CreateVolumePermission", {}) or {}
    added = list(structure.get("Add", []) or [])
    removed = list(structure.get("Remove", []) or [])
    operation = response._get_param("OperationType")
    if operation in ("add", "remove"):
        items = _items(response._get_param("UserIds", []), "UserId") + _items(response._get_param("GroupNames", []), "Group")
        (added if operation == "add" else removed).extend(items)
    return added, removed


def sharing_principals(items: list[dict]) -> list[dict]:
    """The accounts, organizations and OUs among ``items`` (not the public group)."""
    return [item for item in items if any(item.get(key) for key in SHARING_PRINCIPALS)]

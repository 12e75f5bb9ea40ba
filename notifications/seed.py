"""Demo to-dos: whatever the demo data's state asks of its users (the apps' registered to-do sources)."""

from notifications.services import sync_all_todos


def seed_demo(out) -> None:
    opened = sync_all_todos()
    out.write(f"待办事项：新建 {sum(opened.values())} 项（{'、'.join(f'{k} {v}' for k, v in opened.items())}）。")

"""What ``workforce demo`` prints when it is done: the accounts to try and
the commands, requests and pages to try them with."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deploy.client import Client
    from deploy.demo import Plan, Seeded


def guide(client: Client, plan: Plan, s: Seeded) -> str:
    hr, training, certs = (client.urls[x] for x in ("hr", "training", "certs"))
    pw = plan.password
    worker_user = s.worker_logins.get(plan.username("worker"), plan.username("worker"))
    month = date.today().strftime("%Y-%m")
    lines = [
        "",
        "What to try",
        "===========",
        f"Every demo account's password is {pw}",
        "",
        "As an officer:",
        f"  {plan.username('hr')} (HR officer, {plan.district}), {plan.username('checker')} (a second HR officer, "
        f"who approves pay runs), {plan.username('training')} (training coordinator), "
        f"{plan.username('certs')} (cert officer)",
        f"  {plan.username('street')} (HR officer of the street {plan.streets[0]}: its communities "
        f"{plan.prefix}-001.. only), {plan.username('secretary')} (community secretary of {plan.prefix}-001: "
        "reads its workers, training and certificates, writes nothing)",
        f"  workforce login -u {plan.username('hr')} -p {pw}",
        f"  workforce increment run --effective {date.today().year}-07-01 --dry-run",
        f"  workforce pay run --month {month}       (prints the run's id)",
        f"  workforce export payslips --month {month} -o payslips-{month}.xlsx",
        "  workforce pay submit --run ID",
        "  (D-16: another officer approves; nobody approves their own run)",
        f"  workforce login -u {plan.username('checker')} -p {pw}",
        "  workforce pay review --run ID && workforce pay approve --run ID",
        f"  workforce export bank-file --run ID -o bank-{month}.xlsx",
    ]
    if "held" in s.session_ids:
        lines.append(f"  workforce login -u {plan.username('training')} -p {pw} && "
                     f"workforce export attendance --session {s.session_ids['held']} -o attendance.xlsx")
    lines += [
        f"  API docs: {hr}/schema/swagger  {training}/schema/swagger  {certs}/schema/swagger",
        f"  TOKEN=$(curl -s -X POST {hr}/auth/login -H 'Content-Type: application/json' "
        f"-d '{{\"username\": \"{plan.username('hr')}\", \"password\": \"{pw}\"}}' | python3 -c "
        "'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" '{hr}/workers?jurisdiction={plan.district}&limit=5'",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" '{hr}/communities/{plan.prefix}-001/staffing'",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" '{hr}/org-units?parent={plan.district}'",
    ]
    if s.campaign_id:
        lines.append(f"  curl -s -H \"Authorization: Bearer $TOKEN\" '{hr}/campaigns/{s.campaign_id}/ranking'")
    if s.hired:
        lines.append(f"  hired through the campaign (on probation): workers {', '.join(map(str, s.hired))}")
    if s.round_id:
        lines.append(f"  (as {plan.username('certs')}) GET {certs}/talent-rounds/{s.round_id}/nominations")
    if s.leader_talents:
        lines.append(f"  leader talents of round {s.round_id}: workers {', '.join(map(str, s.leader_talents))}; "
                     f"GET {hr}/workers/{s.leader_talents[0]}/designations, {certs}/leader-talents")
    lines += [
        "",
        "As a worker:",
        f"  {worker_user} (worker {s.worker_accounts.get(plan.username('worker'), '?')}), "
        f"{s.worker_logins.get(plan.username('worker2'), '?')} "
        f"(worker {s.worker_accounts.get(plan.username('worker2'), '?')})",
        "  (a worker logs in with their ID number; each has a one-time password from "
        "POST /users/worker-accounts, these two have the demo's)",
        f"  the self-service page: {hr}/me/page  (log in there as {worker_user} / {pw})",
        f"  TOKEN=$(curl -s -X POST {hr}/auth/login -H 'Content-Type: application/json' "
        f"-d '{{\"username\": \"{worker_user}\", \"password\": \"{pw}\"}}' | python3 -c "
        "'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" {hr}/me",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" {hr}/me/payslips/{month}",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" {training}/me/enrolments",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" {certs}/me/certificates",
    ]
    if s.notes:
        lines += ["", "Steps that did not finish:"] + [f"  {n}" for n in s.notes]
    return "\n".join(lines)

"""Bank accounts (D-16): where a worker's net pay is paid. Recorded by an HR
officer of the worker's jurisdiction; shown in full only to such officers,
masked to anyone else who may see the worker, the worker included."""
from __future__ import annotations

from litestar import Controller, Request, get, put
from litestar.params import FromPath, JSONBody

from hr_service import store
from hr_service.api.me import own_worker_id
from hr_service.pay.bank import BankAccountIn, BankAccountOut, account_out, set_account
from shared.auth import Role, requires
from shared.types import IdArg
from shared.web import Svc, now


class BankAccountController(Controller):
    path = "/"
    tags = ["pay"]

    @put("/workers/{worker_id:int}/bank-account", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def set_account(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                    data: JSONBody[BankAccountIn]) -> BankAccountOut:
        """Record or replace the worker's bank and account number (8 to 32
        digits; spaces are dropped). 403 outside the officer's jurisdiction."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            set_account(s, w, data, actor=request.user.sub, now=now())
            return account_out(s, request.user, w)

    @get("/workers/{worker_id:int}/bank-account", sync_to_thread=True)
    def get_account(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> BankAccountOut:
        """The worker's account: in full to an HR officer of their jurisdiction,
        otherwise masked (``masked: true``). 404 ``no_bank_account`` without one."""
        with svc.db.read_session() as s:
            return account_out(s, request.user, store.visible_worker(s, request.user, worker_id))

    @get("/me/bank-account", sync_to_thread=True)
    def my_account(self, svc: Svc, request: Request) -> BankAccountOut:
        """The calling worker's own account, masked."""
        worker_id = own_worker_id(request.user)
        with svc.db.read_session() as s:
            return account_out(s, request.user, store.visible_worker(s, request.user, worker_id))

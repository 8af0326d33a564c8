"""Check that each published support resource's web address still answers.

Run daily from cron or a systemd timer (see README, "Support lines"). A reader who needs a
helpline must not meet a dead page: every distinct address is requested (HEAD, GET when
refused), redirects followed, and the answer recorded for each resource showing it, so
editors see the last check in admin and can list the failures.

Prints one line per address. Exits 1 when any address failed, or was left unchecked
because the run's request bound was reached, so cron mails the output; 0 when all answered.
"""

from django.core.management.base import BaseCommand, CommandError

from advice.checks import Problem
from advice.content_checks import said
from quiz.line_checker import Answer, Budget, BudgetSpent, check_address
from quiz.line_checks import addresses_to_check, record, unpublished_with_an_address, user_agent

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_REQUESTS = 100


class Command(BaseCommand):
    help = "Request each published support resource's web address and record the answer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the addresses that would be checked; request and record nothing.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help=f"Seconds to wait for the network at each step (default: {DEFAULT_TIMEOUT:g}).",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=DEFAULT_MAX_REQUESTS,
            help="Requests the whole run may make, redirects and retries included "
            f"(default: {DEFAULT_MAX_REQUESTS}).",
        )

        parser.add_argument(
            "--allow-private-addresses",
            action="store_true",
            help="Also request loopback and private network addresses (tests, a staging "
            "network); by default they are refused unasked.",
        )

    def handle(
        self,
        *args,
        dry_run: bool,
        timeout: float,
        max_requests: int,
        allow_private_addresses: bool,
        **options,
    ):
        if not 0 < timeout <= 60:
            raise CommandError("--timeout must be more than 0 and at most 60 seconds.")
        if max_requests < 1:
            raise CommandError("--max-requests must be at least 1.")
        addresses = addresses_to_check()
        unpublished = unpublished_with_an_address()
        if unpublished:
            self.stdout.write(f"Not checked: {unpublished} unpublished resources.")
        if dry_run:
            self.stdout.write(
                f"Would check {len(addresses)} addresses, at most {max_requests} requests, "
                f"waiting at most {timeout:g} s at each step:"
            )
            for url, resources in addresses.items():
                self.stdout.write(f"  {url}  ({names(resources)})")
            return
        budget = Budget(max_requests)
        failed, unchecked = [], []
        for url, resources in addresses.items():
            if unchecked:
                unchecked.append(url)
                continue
            try:
                answer = check_address(
                    url,
                    budget=budget,
                    timeout=timeout,
                    user_agent=user_agent(),
                    allow_private=allow_private_addresses,
                )
            except BudgetSpent:
                unchecked.append(url)
                continue
            record(url, resources, answer)
            line = describe(url, resources, answer)
            if answer.failed:
                failed.append(url)
                self.stdout.write(self.style.ERROR(line))
            else:
                self.stdout.write(line)
        for url in unchecked:
            self.stdout.write(self.style.WARNING(f"not checked: {url}"))
        summary = (
            f"{len(addresses)} addresses, {len(failed)} failed, "
            f"{len(unchecked)} not checked, {budget.spent} requests."
        )
        if unchecked:
            summary += f" The bound of {max_requests} requests was reached: raise --max-requests."
        if failed or unchecked:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))


def describe(url: str, resources, answer: Answer) -> str:
    """One line for cron's mail: "not found: https://… (HTTP 404)  (Helpline UK)"."""
    line = f"{answer.outcome.label}: {url}"
    if answer.status is not None:
        line += f" (HTTP {answer.status})"
    if answer.detail:
        detail = answer.detail
        line += f", {said(detail) if isinstance(detail, Problem) else detail}"
    return f"{line}  ({names(resources)})"


def names(resources) -> str:
    return ", ".join(resource.name for resource in resources)

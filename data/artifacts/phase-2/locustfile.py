"""Performance scenario for /ask (D2.4); run nightly with 20 users for 5 minutes.

    locust -f locustfile.py --headless -u 20 -r 2 -t 5m --host https://staging.bds.example.org
"""

from locust import HttpUser, between, task

QUESTIONS = [
    "How many orders were placed last week?",
    "Plot monthly revenue by region for 2026",
    "Which 10 customers have the highest churn score?",
]


class AnalystUser(HttpUser):
    wait_time = between(2, 6)

    @task(5)
    def ask(self) -> None:
        for question in QUESTIONS:
            self.client.post("/ask", json={"question": question, "dataset": "sales_demo"},
                             name="/ask", timeout=30)

    @task(1)
    def health(self) -> None:
        self.client.get("/health")

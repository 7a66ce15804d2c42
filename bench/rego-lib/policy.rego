# bench/rego: the gateway policy as a ShieldX user writes it. Rendered from routes.mjs by
# policies.mjs; edit those, then `node bench/rego-lib/policies.mjs --write`.
#
# A request is allowed when its token is valid, it comes from an allowed network, its user exists
# and is active, and a route matching its method and path grants one of the user's roles. Routes
# are rules, one per route, each starting with equality/glob conditions on input.method and
# input.path: the form rule indexing can select on, and the one a route table turns into.
package shieldx.bench

import rego.v1

default allow := false

allow if {
	valid_token
	allowed_ip
	user.active
	route_grants
}

# The gateway has verified the JWT's signature; the policy checks its claims.
valid_token if {
	input.token.iss == "https://id.example.com/"
	"shieldx-gateway" in input.token.aud
	input.token.exp > input.now
}

allowed_ip if {
	some cidr in data.gateway.allowed_networks
	net.cidr_contains(cidr, input.ip)
}

user := data.users[input.token.sub]

has_role(allowed) if {
	some role in user.roles
	role in allowed
}

# orders.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/orders"
	has_role({"orders-reader", "orders-writer", "orders-admin", "auditor", "admin"})
}

# orders.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/orders/*", ["/"], input.path)
	has_role({"orders-reader", "orders-writer", "orders-admin", "auditor", "admin"})
}

# orders.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/orders"
	has_role({"orders-writer", "orders-admin", "admin"})
}

# orders.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/orders/*", ["/"], input.path)
	has_role({"orders-writer", "orders-admin", "admin"})
}

# orders.delete
route_grants if {
	input.method == "DELETE"
	glob.match("/api/v1/orders/*", ["/"], input.path)
	has_role({"orders-admin", "admin"})
}

# invoices.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/invoices"
	has_role({"invoices-reader", "invoices-writer", "invoices-admin", "auditor", "admin"})
}

# invoices.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/invoices/*", ["/"], input.path)
	has_role({"invoices-reader", "invoices-writer", "invoices-admin", "auditor", "admin"})
}

# invoices.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/invoices"
	has_role({"invoices-writer", "invoices-admin", "admin"})
}

# invoices.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/invoices/*", ["/"], input.path)
	has_role({"invoices-writer", "invoices-admin", "admin"})
}

# invoices.history
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/invoices/*/history", ["/"], input.path)
	has_role({"auditor", "admin"})
}

# customers.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/customers"
	has_role({"customers-reader", "customers-writer", "customers-admin", "auditor", "admin"})
}

# customers.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/customers/*", ["/"], input.path)
	has_role({"customers-reader", "customers-writer", "customers-admin", "auditor", "admin"})
}

# customers.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/customers"
	has_role({"customers-writer", "customers-admin", "admin"})
}

# customers.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/customers/*", ["/"], input.path)
	has_role({"customers-writer", "customers-admin", "admin"})
}

# customers.static
route_grants if {
	input.method == "GET"
	glob.match("/static/customers/**", ["/"], input.path)
	has_role({"customers-reader", "customers-writer", "customers-admin", "auditor", "admin"})
}

# products.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/products"
	has_role({"products-reader", "products-writer", "products-admin", "auditor", "admin"})
}

# products.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/products/*", ["/"], input.path)
	has_role({"products-reader", "products-writer", "products-admin", "auditor", "admin"})
}

# products.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/products"
	has_role({"products-writer", "products-admin", "admin"})
}

# products.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/products/*", ["/"], input.path)
	has_role({"products-writer", "products-admin", "admin"})
}

# products.action
route_grants if {
	input.method == "POST"
	glob.match("/api/v1/products/*/actions/*", ["/"], input.path)
	has_role({"products-writer", "products-admin", "admin"})
}

# inventory.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/inventory"
	has_role({"inventory-reader", "inventory-writer", "inventory-admin", "auditor", "admin"})
}

# inventory.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/inventory/*", ["/"], input.path)
	has_role({"inventory-reader", "inventory-writer", "inventory-admin", "auditor", "admin"})
}

# inventory.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/inventory"
	has_role({"inventory-writer", "inventory-admin", "admin"})
}

# inventory.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/inventory/*", ["/"], input.path)
	has_role({"inventory-writer", "inventory-admin", "admin"})
}

# inventory.admin
route_grants if {
	glob.match("/admin/inventory/**", ["/"], input.path)
	has_role({"inventory-admin", "admin"})
}

# shipments.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/shipments"
	has_role({"shipments-reader", "shipments-writer", "shipments-admin", "auditor", "admin"})
}

# shipments.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/shipments/*", ["/"], input.path)
	has_role({"shipments-reader", "shipments-writer", "shipments-admin", "auditor", "admin"})
}

# shipments.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/shipments"
	has_role({"shipments-writer", "shipments-admin", "admin"})
}

# shipments.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/shipments/*", ["/"], input.path)
	has_role({"shipments-writer", "shipments-admin", "admin"})
}

# shipments.delete
route_grants if {
	input.method == "DELETE"
	glob.match("/api/v1/shipments/*", ["/"], input.path)
	has_role({"shipments-admin", "admin"})
}

# payments.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/payments"
	has_role({"payments-reader", "payments-writer", "payments-admin", "auditor", "admin"})
}

# payments.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/payments/*", ["/"], input.path)
	has_role({"payments-reader", "payments-writer", "payments-admin", "auditor", "admin"})
}

# payments.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/payments"
	has_role({"payments-writer", "payments-admin", "admin"})
}

# payments.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/payments/*", ["/"], input.path)
	has_role({"payments-writer", "payments-admin", "admin"})
}

# payments.history
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/payments/*/history", ["/"], input.path)
	has_role({"auditor", "admin"})
}

# refunds.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/refunds"
	has_role({"refunds-reader", "refunds-writer", "refunds-admin", "auditor", "admin"})
}

# refunds.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/refunds/*", ["/"], input.path)
	has_role({"refunds-reader", "refunds-writer", "refunds-admin", "auditor", "admin"})
}

# refunds.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/refunds"
	has_role({"refunds-writer", "refunds-admin", "admin"})
}

# refunds.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/refunds/*", ["/"], input.path)
	has_role({"refunds-writer", "refunds-admin", "admin"})
}

# refunds.static
route_grants if {
	input.method == "GET"
	glob.match("/static/refunds/**", ["/"], input.path)
	has_role({"refunds-reader", "refunds-writer", "refunds-admin", "auditor", "admin"})
}

# reports.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/reports"
	has_role({"reports-reader", "reports-writer", "reports-admin", "auditor", "admin"})
}

# reports.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/reports/*", ["/"], input.path)
	has_role({"reports-reader", "reports-writer", "reports-admin", "auditor", "admin"})
}

# reports.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/reports"
	has_role({"reports-writer", "reports-admin", "admin"})
}

# reports.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/reports/*", ["/"], input.path)
	has_role({"reports-writer", "reports-admin", "admin"})
}

# reports.action
route_grants if {
	input.method == "POST"
	glob.match("/api/v1/reports/*/actions/*", ["/"], input.path)
	has_role({"reports-writer", "reports-admin", "admin"})
}

# accounts.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/accounts"
	has_role({"accounts-reader", "accounts-writer", "accounts-admin", "auditor", "admin"})
}

# accounts.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/accounts/*", ["/"], input.path)
	has_role({"accounts-reader", "accounts-writer", "accounts-admin", "auditor", "admin"})
}

# accounts.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/accounts"
	has_role({"accounts-writer", "accounts-admin", "admin"})
}

# accounts.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/accounts/*", ["/"], input.path)
	has_role({"accounts-writer", "accounts-admin", "admin"})
}

# accounts.admin
route_grants if {
	glob.match("/admin/accounts/**", ["/"], input.path)
	has_role({"accounts-admin", "admin"})
}

# teams.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/teams"
	has_role({"teams-reader", "teams-writer", "teams-admin", "auditor", "admin"})
}

# teams.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/teams/*", ["/"], input.path)
	has_role({"teams-reader", "teams-writer", "teams-admin", "auditor", "admin"})
}

# teams.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/teams"
	has_role({"teams-writer", "teams-admin", "admin"})
}

# teams.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/teams/*", ["/"], input.path)
	has_role({"teams-writer", "teams-admin", "admin"})
}

# teams.delete
route_grants if {
	input.method == "DELETE"
	glob.match("/api/v1/teams/*", ["/"], input.path)
	has_role({"teams-admin", "admin"})
}

# projects.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/projects"
	has_role({"projects-reader", "projects-writer", "projects-admin", "auditor", "admin"})
}

# projects.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/projects/*", ["/"], input.path)
	has_role({"projects-reader", "projects-writer", "projects-admin", "auditor", "admin"})
}

# projects.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/projects"
	has_role({"projects-writer", "projects-admin", "admin"})
}

# projects.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/projects/*", ["/"], input.path)
	has_role({"projects-writer", "projects-admin", "admin"})
}

# projects.history
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/projects/*/history", ["/"], input.path)
	has_role({"auditor", "admin"})
}

# tickets.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/tickets"
	has_role({"tickets-reader", "tickets-writer", "tickets-admin", "auditor", "admin"})
}

# tickets.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/tickets/*", ["/"], input.path)
	has_role({"tickets-reader", "tickets-writer", "tickets-admin", "auditor", "admin"})
}

# tickets.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/tickets"
	has_role({"tickets-writer", "tickets-admin", "admin"})
}

# tickets.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/tickets/*", ["/"], input.path)
	has_role({"tickets-writer", "tickets-admin", "admin"})
}

# tickets.static
route_grants if {
	input.method == "GET"
	glob.match("/static/tickets/**", ["/"], input.path)
	has_role({"tickets-reader", "tickets-writer", "tickets-admin", "auditor", "admin"})
}

# comments.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/comments"
	has_role({"comments-reader", "comments-writer", "comments-admin", "auditor", "admin"})
}

# comments.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/comments/*", ["/"], input.path)
	has_role({"comments-reader", "comments-writer", "comments-admin", "auditor", "admin"})
}

# comments.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/comments"
	has_role({"comments-writer", "comments-admin", "admin"})
}

# comments.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/comments/*", ["/"], input.path)
	has_role({"comments-writer", "comments-admin", "admin"})
}

# comments.action
route_grants if {
	input.method == "POST"
	glob.match("/api/v1/comments/*/actions/*", ["/"], input.path)
	has_role({"comments-writer", "comments-admin", "admin"})
}

# files.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/files"
	has_role({"files-reader", "files-writer", "files-admin", "auditor", "admin"})
}

# files.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/files/*", ["/"], input.path)
	has_role({"files-reader", "files-writer", "files-admin", "auditor", "admin"})
}

# files.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/files"
	has_role({"files-writer", "files-admin", "admin"})
}

# files.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/files/*", ["/"], input.path)
	has_role({"files-writer", "files-admin", "admin"})
}

# files.admin
route_grants if {
	glob.match("/admin/files/**", ["/"], input.path)
	has_role({"files-admin", "admin"})
}

# webhooks.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/webhooks"
	has_role({"webhooks-reader", "webhooks-writer", "webhooks-admin", "auditor", "admin"})
}

# webhooks.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/webhooks/*", ["/"], input.path)
	has_role({"webhooks-reader", "webhooks-writer", "webhooks-admin", "auditor", "admin"})
}

# webhooks.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/webhooks"
	has_role({"webhooks-writer", "webhooks-admin", "admin"})
}

# webhooks.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/webhooks/*", ["/"], input.path)
	has_role({"webhooks-writer", "webhooks-admin", "admin"})
}

# webhooks.delete
route_grants if {
	input.method == "DELETE"
	glob.match("/api/v1/webhooks/*", ["/"], input.path)
	has_role({"webhooks-admin", "admin"})
}

# audit-logs.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/audit-logs"
	has_role({"audit-logs-reader", "audit-logs-writer", "audit-logs-admin", "auditor", "admin"})
}

# audit-logs.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/audit-logs/*", ["/"], input.path)
	has_role({"audit-logs-reader", "audit-logs-writer", "audit-logs-admin", "auditor", "admin"})
}

# audit-logs.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/audit-logs"
	has_role({"audit-logs-writer", "audit-logs-admin", "admin"})
}

# audit-logs.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/audit-logs/*", ["/"], input.path)
	has_role({"audit-logs-writer", "audit-logs-admin", "admin"})
}

# audit-logs.history
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/audit-logs/*/history", ["/"], input.path)
	has_role({"auditor", "admin"})
}

# billing.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/billing"
	has_role({"billing-reader", "billing-writer", "billing-admin", "auditor", "admin"})
}

# billing.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/billing/*", ["/"], input.path)
	has_role({"billing-reader", "billing-writer", "billing-admin", "auditor", "admin"})
}

# billing.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/billing"
	has_role({"billing-writer", "billing-admin", "admin"})
}

# billing.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/billing/*", ["/"], input.path)
	has_role({"billing-writer", "billing-admin", "admin"})
}

# billing.static
route_grants if {
	input.method == "GET"
	glob.match("/static/billing/**", ["/"], input.path)
	has_role({"billing-reader", "billing-writer", "billing-admin", "auditor", "admin"})
}

# settings.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/settings"
	has_role({"settings-reader", "settings-writer", "settings-admin", "auditor", "admin"})
}

# settings.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/settings/*", ["/"], input.path)
	has_role({"settings-reader", "settings-writer", "settings-admin", "auditor", "admin"})
}

# settings.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/settings"
	has_role({"settings-writer", "settings-admin", "admin"})
}

# settings.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/settings/*", ["/"], input.path)
	has_role({"settings-writer", "settings-admin", "admin"})
}

# settings.action
route_grants if {
	input.method == "POST"
	glob.match("/api/v1/settings/*/actions/*", ["/"], input.path)
	has_role({"settings-writer", "settings-admin", "admin"})
}

# metrics.list
route_grants if {
	input.method == "GET"
	input.path == "/api/v1/metrics"
	has_role({"metrics-reader", "metrics-writer", "metrics-admin", "auditor", "admin"})
}

# metrics.read
route_grants if {
	input.method == "GET"
	glob.match("/api/v1/metrics/*", ["/"], input.path)
	has_role({"metrics-reader", "metrics-writer", "metrics-admin", "auditor", "admin"})
}

# metrics.create
route_grants if {
	input.method == "POST"
	input.path == "/api/v1/metrics"
	has_role({"metrics-writer", "metrics-admin", "admin"})
}

# metrics.update
route_grants if {
	input.method in {"PUT", "PATCH"}
	glob.match("/api/v1/metrics/*", ["/"], input.path)
	has_role({"metrics-writer", "metrics-admin", "admin"})
}

# metrics.admin
route_grants if {
	glob.match("/admin/metrics/**", ["/"], input.path)
	has_role({"metrics-admin", "admin"})
}

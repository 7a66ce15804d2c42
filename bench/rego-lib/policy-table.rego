# bench/rego reference variant: the same policy as policy.rego with the routes as data
# (data.routes: [{name, methods, glob, roles}], methods ["*"] for any), as a policy reads a route
# table generated from configuration. Every request iterates the table; no rule indexing applies.
package shieldx.bench

import rego.v1

default allow := false

allow if {
	valid_token
	allowed_ip
	user.active
	route_grants
}

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

route_grants if {
	some route in data.routes
	method_matches(route.methods)
	glob.match(route.glob, ["/"], input.path)
	some role in user.roles
	role in route.roles
}

method_matches(methods) if "*" in methods

method_matches(methods) if input.method in methods

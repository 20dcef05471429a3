#!/usr/bin/env python3
"""A small pysaml2 identity provider for Meridian's interoperability tests (e2e/saml-interop.test.ts).

Serves HTTPS on 127.0.0.1 with the certificate the test issues; everything it needs comes from
one JSON settings file given as the only argument, written by the test in a temporary directory:

  tlsCert, tlsKey          the HTTPS certificate (chain) and key
  signCert, signKey        the IdP's SAML signing key pair (also its encryption key pair)
  spMetadata               the portal's SP metadata file (portals/self/sp/metadata)
  usersFile                JSON {username: {password, givenName, sn, mail}}, read at each sign-in
  controlFile              JSON {"encryption": "aes256-gcm" | "pysaml2-default"}, read at each sign-in
  port                     0 for any
  displayName              optional: the mdui:DisplayName (xml:lang en) its metadata publishes

Endpoints: GET /metadata (the IdP's metadata: HTTP-POST single sign-on only, so the portal sends
its AuthnRequest with an enveloped XML signature, which pysaml2 itself checks because the IdP
wants signed requests), POST /sso/post (the AuthnRequest: parsed and verified, then the login
form), POST /login (the user's password: a signed Response with a signed, optionally encrypted,
Assertion, RSA-SHA256 and SHA-256, posted to the portal's ACS), GET /slo/redirect (the portal's
LogoutRequest, its query signature verified with the SP's metadata signing key; answered with a
LogoutResponse query-signed RSA-SHA256), GET /events (JSON: what the IdP saw, for the test's
assertions).

Encryption: pysaml2 7.0.1 encrypts with 3DES-CBC (xmlsec1 session key des-192) unless told
otherwise, and has no setting for it; "aes256-gcm" makes it use AES-256-GCM (session key
aes-256) with RSA-OAEP-MGF1P key transport, "pysaml2-default" leaves its default.
"""

import functools
import html
import json
import secrets
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import saml2.entity
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import SecurityContext, pre_encryption_part, verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

AES256_GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"

settings = json.load(open(sys.argv[1]))
mode = {"encryption": "aes256-gcm"}


def read_json(path):
    with open(path) as f:
        return json.load(f)


# pysaml2 7.0.1 has no setting for the content encryption algorithm: its Entity uses
# pre_encryption_part() (3DES-CBC in the template) and SecurityContext.encrypt_assertion's
# key_type='des-192'. For "aes256-gcm" both are changed, nothing else.
def encryption_template(**kwargs):
    if mode["encryption"] == "aes256-gcm":
        kwargs["msg_enc"] = AES256_GCM
    return pre_encryption_part(**kwargs)


saml2.entity.pre_encryption_part = encryption_template
original_encrypt = SecurityContext.encrypt_assertion


@functools.wraps(original_encrypt)
def encrypt_assertion(self, statement, enc_key, template, key_type="des-192", node_xpath=None):
    if mode["encryption"] == "aes256-gcm":
        key_type = "aes-256"
    return original_encrypt(self, statement, enc_key, template, key_type, node_xpath)


SecurityContext.encrypt_assertion = encrypt_assertion

server = ThreadingHTTPServer(("127.0.0.1", int(settings.get("port", 0))), None)
port = server.server_address[1]
base = f"https://127.0.0.1:{port}"

config = IdPConfig()
config.load(
    {
        "entityid": f"{base}/metadata",
        "description": "pysaml2 test IdP",
        "service": {
            "idp": {
                "name": "pysaml2 test IdP",
                "endpoints": {
                    "single_sign_on_service": [(f"{base}/sso/post", BINDING_HTTP_POST)],
                    "single_logout_service": [(f"{base}/slo/redirect", BINDING_HTTP_REDIRECT)],
                },
                "want_authn_requests_signed": True,
                **(
                    {"ui_info": {"display_name": [{"text": settings["displayName"], "lang": "en"}]}}
                    if settings.get("displayName")
                    else {}
                ),
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "key_file": settings["signKey"],
        "cert_file": settings["signCert"],
        "encryption_keypairs": [{"key_file": settings["signKey"], "cert_file": settings["signCert"]}],
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"local": [settings["spMetadata"]]},
        "delete_tmpfiles": True,
    }
)
idp = Server(config=config)
metadata_xml = create_metadata_string(None, config=config, valid=24, sign=False)

pending = {}
events = []
lock = threading.Lock()
config_lock = threading.Lock()


def record(event):
    with lock:
        events.append(event)


def page(title, body):
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    def setup(self):
        # The TLS handshake in the request's thread, not in accept() (a slow client cannot stall the server).
        self.request.settimeout(30)
        self.request.do_handshake()
        super().setup()

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="text/html; charset=utf-8"):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.send_header("cache-control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def form(self):
        length = int(self.headers.get("content-length") or 0)
        return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

    def do_GET(self):
        if self.path == "/metadata":
            return self.send(200, metadata_xml, "application/samlmetadata+xml")
        if self.path.startswith("/slo/redirect?"):
            try:
                return self.slo({k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()})
            except Exception as e:
                record({"type": "error", "path": "/slo/redirect", "error": f"{type(e).__name__}: {e}"})
                return self.send(400, page("IdP error", f"<p id='error'>{html.escape(str(e))}</p>"))
        if self.path == "/events":
            with lock:
                return self.send(200, json.dumps(events).encode(), "application/json")
        return self.send(404, page("Not found", ""))

    def do_POST(self):
        try:
            if self.path == "/sso/post":
                return self.sso(self.form())
            if self.path == "/login":
                return self.login(self.form())
            return self.send(404, page("Not found", ""))
        except Exception as e:  # the test reads the IdP's refusal from the page and /events
            record({"type": "error", "path": self.path, "error": f"{type(e).__name__}: {e}"})
            return self.send(400, page("IdP error", f"<p id='error'>{html.escape(str(e))}</p>"))

    def sso(self, form):
        # want_authn_requests_signed: parse_authn_request refuses a request without a valid
        # enveloped signature by the SP's metadata key (SignatureError).
        req = idp.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_POST)
        message = req.message
        record(
            {
                "type": "authn_request",
                "id": message.id,
                "issuer": message.issuer.text,
                "signed": message.signature is not None,
                "signatureVerified": True,
                "signatureMethod": message.signature.signed_info.signature_method.algorithm
                if message.signature is not None
                else None,
                "relayState": form.get("RelayState"),
            }
        )
        key = secrets.token_urlsafe(16)
        pending[key] = (idp.response_args(message), form.get("RelayState", ""), message.issuer.text)
        body = (
            f'<form method="post" action="/login"><input type="hidden" name="key" value="{key}">'
            '<p><label>Username <input id="idp-username" name="username" autocomplete="off"></label></p>'
            '<p><label>Password <input id="idp-password" name="password" type="password"></label></p>'
            '<p><button id="idp-login" type="submit">Log in to pysaml2</button></p></form>'
        )
        return self.send(200, page("pysaml2 test IdP: log in", body))

    def slo(self, query):
        # The SP's LogoutRequest (HTTP-Redirect): pysaml2 checks enveloped signatures only, so
        # the query signature is verified here with the SP's metadata signing keys; the XML is
        # then parsed without asking for an enveloped one.
        with config_lock:
            config.setattr("idp", "want_authn_requests_signed", False)
            try:
                req = idp.parse_logout_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
            finally:
                config.setattr("idp", "want_authn_requests_signed", True)
        message = req.message
        certs = [c[1] if isinstance(c, tuple) else c for c in idp.metadata.certs(message.issuer.text, "spsso", "signing")]
        verified = "Signature" in query and any(
            verify_redirect_signature(query, idp.sec.sec_backend, cert) for cert in certs
        )
        record(
            {
                "type": "logout_request",
                "issuer": message.issuer.text,
                "nameId": message.name_id.text if message.name_id is not None else None,
                "sessionIndex": [i.text for i in message.session_index],
                "signed": "Signature" in query,
                "signatureVerified": verified,
                "sigAlg": query.get("SigAlg"),
            }
        )
        if not verified:
            return self.send(403, page("Logout request signature invalid", ""))
        response = idp.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
        _, destination = idp.pick_binding("single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", req)
        http_args = idp.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            query.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        location = dict(http_args["headers"])["Location"]
        record({"type": "logout_response", "destination": destination})
        self.send_response(303)
        self.send_header("location", location)
        self.send_header("content-length", "0")
        self.end_headers()

    def login(self, form):
        resp_args, relay_state, sp = pending.pop(form["key"])
        users = read_json(settings["usersFile"])
        user = users.get(form.get("username", ""))
        if not user or user["password"] != form.get("password"):
            pending[form["key"]] = (resp_args, relay_state, sp)
            return self.send(401, page("Wrong username or password", ""))
        mode.update(read_json(settings["controlFile"]))
        identity = {k: [user[k]] for k in ("givenName", "sn", "mail") if user.get(k)}
        resp_args.pop("name_id_policy", None)
        response = idp.create_authn_response(
            identity,
            userid=form["username"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=form["username"]),
            authn={"class_ref": PASSWORD, "authn_auth": base},
            sign_response=True,
            sign_assertion=True,
            encrypt_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            **resp_args,
        )
        record(
            {
                "type": "response",
                "user": form["username"],
                "encryption": mode["encryption"],
                "destination": resp_args["destination"],
            }
        )
        http_args = idp.apply_binding(
            BINDING_HTTP_POST, str(response), resp_args["destination"], relay_state, response=True
        )
        # pysaml2's auto-posting form (onload submit) to the portal's ACS.
        return self.send(200, http_args["data"].encode())


tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain(settings["tlsCert"], settings["tlsKey"])
server.RequestHandlerClass = Handler
server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
print(json.dumps({"ready": True, "url": base, "entityId": f"{base}/metadata"}), flush=True)
server.serve_forever()

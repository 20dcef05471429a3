/** The signed-in caller of a request, as the tokens module verified it. */
export interface Caller {
  userId: string;
  username: string;
  role: 'org_admin' | 'org_publisher' | 'org_user';
  privileges: readonly string[];
  /** How the caller proved who they are. Cookie callers need the CSRF header on state changes. */
  via: 'token' | 'cookie';
  /** For cookie callers: their web session (signing out ends it alone). */
  sessionId?: string;
}

/** Finds the caller of a request; throws when a presented credential does not verify. */
export type Authenticator = (req: import('fastify').FastifyRequest) => Promise<Caller | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Query and body parameters merged (body wins); never a file (see uploads). */
    args: Record<string, unknown>;
    /** The multipart file parts of the request, written to <home>/tmp (http/multipart.ts). */
    uploads: ReadonlyMap<string, import('./uploaded-file.ts').UploadedFile> | undefined;
    caller: Caller | undefined;
    /** The app an app token (OAuth client_credentials) stands for; the request is then anonymous. */
    appCaller?: { clientId: string; expires: number };
  }
}

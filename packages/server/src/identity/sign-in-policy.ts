/**
 * The organisation's sign-in policy as identity applies it. The settings are the portal's
 * (portals/self/update: canSignInArcGIS, allowBuiltInAccounts); the composition root hands
 * identity a reader. A node without one (a GIS server) lets built-in accounts do everything.
 */
export interface SignInPolicy {
  /** Built-in accounts may sign in with a password (oauth2/signin, generateToken). */
  canSignInArcGIS: boolean;
  /** Built-in accounts may be created (createUser with provider arcgis, `meridian users add`). */
  allowBuiltInAccounts: boolean;
}

export type SignInPolicySource = () => Promise<SignInPolicy>;

const OPEN: SignInPolicy = { canSignInArcGIS: true, allowBuiltInAccounts: true };

export async function currentSignInPolicy(ctx: { signInPolicy?: SignInPolicySource }): Promise<SignInPolicy> {
  return ctx.signInPolicy ? ctx.signInPolicy() : OPEN;
}

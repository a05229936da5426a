namespace ExchangeEncryptionAgent.Activation;

/// <summary>
/// Validates a policy file as the agent will load it: the XML, and then every certificate and key the policy names,
/// so nothing activates a policy the agent would refuse (and defer all mail for). Plain types only, so Windows
/// PowerShell 5.1 can call it on the net48 DLL. The installer asks <see cref="PolicyInventory"/>, which returns these
/// same errors together with what the policy references.
/// </summary>
public static class PolicyFileValidator
{
    /// <summary>
    /// Validates <paramref name="path"/>; returns every error as <c>file:line:col: rule 'name': message</c> (errors
    /// outside rules omit <c>rule 'name': </c>; whole-file errors use line and column 0). Empty means valid.
    /// Never throws for a bad file.
    /// </summary>
    public static string[] Validate(string path) => PolicyInventory.Read(path).Errors;
}

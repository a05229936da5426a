# Boundary (the tests replace these): the agent DLL, loaded to read a policy as the agent does.

function Get-AgentVersion {
    param([string] $AssemblyPath)

    if (-not $AssemblyPath -or -not (Test-Path -LiteralPath $AssemblyPath -PathType Leaf)) {
        return $null
    }
    [System.Diagnostics.FileVersionInfo]::GetVersionInfo($AssemblyPath).ProductVersion
}

function Import-AgentAssembly {
    # LoadFrom, as Exchange does, so the validator finds MimeKit and the rest beside the agent.
    param([Parameter(Mandatory)][string] $Path)

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        throw "The agent assembly '$Path' does not exist; it is needed to validate the policy."
    }
    try {
        [System.Reflection.Assembly]::LoadFrom($Path)
    }
    catch {
        # A downloaded, still blocked DLL fails here with HRESULT 0x80131515 ("Operation is not supported").
        throw "Could not load '$Path' to validate the policy: $($_.Exception.GetBaseException().Message) If the package was downloaded, unblock it (Get-ChildItem -Path '$(Split-Path -Parent (Split-Path -Parent $Path))' -Recurse | Unblock-File) and run install.ps1 again."
    }
}

function Invoke-PolicyInventory {
    # [ExchangeEncryptionAgent.Activation.PolicyInventory]::Read(path) from that exact assembly: an object with
    # Errors ("file:line:col: rule 'name': message", empty when valid), Files, Folders and AbsolutePaths (absolute
    # paths of what the policy references), ForcedTlsAddressSpace and ForcedTlsDomain (null when absent).
    param(
        [Parameter(Mandatory)][System.Reflection.Assembly] $Assembly,
        [Parameter(Mandatory)][string] $Path
    )

    $type = $Assembly.GetType($script:PolicyInventoryTypeName, $false)
    if ($null -eq $type) {
        throw "'$($Assembly.Location)' has no $script:PolicyInventoryTypeName; it cannot read policies. Use the agent from the same release package."
    }
    try {
        $type.GetMethod('Read', [type[]]@([string])).Invoke($null, [object[]]@($Path))
    }
    catch {
        throw "The agent failed to read the policy '$Path': $($_.Exception.GetBaseException().Message)"
    }
}

# What a run returns and tells the administrator.

function New-SetupResult {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)][string] $Action,
        [System.Collections.Generic.List[string]] $Changes,
        [string] $PolicyPath
    )

    [pscustomobject]@{
        Server      = $Setup.ServerName
        Action      = $Action
        WhatIf      = [bool]$WhatIfPreference
        Changed     = $Changes.Count -gt 0
        Changes     = [string[]]$Changes.ToArray()
        Version     = Get-PackageVersion -Setup $Setup
        InstallPath = $Setup.InstallPath
        PolicyPath  = $PolicyPath
    }
}

function Add-Change {
    # Steps return a description of what they changed (or would change under -WhatIf), nothing when in place.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][AllowEmptyCollection()][System.Collections.Generic.List[string]] $List,
        [Parameter(Position = 1)] $Description
    )

    foreach ($item in @($Description)) {
        if ($item) {
            $List.Add([string]$item)
        }
    }
}

function Get-PackageVersion {
    [CmdletBinding()]
    param($Setup)

    if ($null -eq $Setup -or -not $Setup.PackageAssemblyPath) {
        return $null
    }
    Get-AgentVersion -AssemblyPath $Setup.PackageAssemblyPath
}

function Test-InstalledMatchesPackage {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    if (-not $Setup.PackageAgentFolder -or -not (Test-Path -LiteralPath $Setup.PackageAgentFolder -PathType Container)) {
        return $null
    }
    @(Get-AgentBinaryChange -Setup $Setup).Count -eq 0
}

function Get-PropertyOrNull {
    # Strict mode forbids reading a property an object lacks; Exchange objects and their deserialized copies differ.
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)] $InputObject,
        [Parameter(Position = 1)][string] $Name
    )

    if ($null -eq $InputObject) {
        return $null
    }
    $property = $InputObject.PSObject.Properties[$Name]
    if ($null -eq $property) {
        return $null
    }
    $property.Value
}

function Write-NextStep {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)] $Setup,
        $Policy
    )

    $lines = New-Object System.Collections.Generic.List[string]
    if ($Result.WhatIf) {
        $lines.Add("What if: $($Result.Changes.Count) change(s) on $($Setup.ServerName); nothing was changed.")
    }
    elseif (-not $Result.Changed) {
        $lines.Add("$($Setup.ServerName): $script:AgentName $($Result.Version) is installed as requested; nothing needed changing.")
    }
    else {
        $lines.Add("$($Setup.ServerName): $($Result.Action) of $script:AgentName $($Result.Version) done ($($Result.Changes.Count) change(s)).")
    }
    $lines.Add('Next steps:')
    $lines.Add("  1. Close this PowerShell window: Install-TransportAgent keeps $script:AgentAssemblyFileName open in it.")
    $lines.Add("  2. Check the Application log for $script:EventSourceName event 1000 (started) and no MSExchange Extensibility events 1050-1057.")
    $lines.Add("  3. Edit the policy in $($Setup.ActivePolicyPath) (validate first with Test-EncryptionPolicy); the agent reloads it without a restart.")
    $lines.Add("  4. Logs: $($Setup.LogFolder). Status any time: .\install.ps1 -Action Status")
    if ($null -ne $Policy -and $null -ne $Policy.ForcedTls -and $Setup.TransportService -eq 'Edge') {
        $lines.Add("  5. Create the forced-TLS send connector for $($Policy.ForcedTls.AddressSpace) in the organisation (docs/operations.md).")
    }
    Write-Host ($lines -join [Environment]::NewLine)
}

function Write-UninstallNextStep {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)] $Setup,
        [switch] $RemoveData
    )

    $kept = "Policies and logs were kept in $($Setup.PolicyFolder) and $($Setup.LogFolder); delete them with -RemoveData."
    if ($RemoveData) {
        $kept = 'Policies and logs were deleted. Key files named by absolute path in the policy were left where they are.'
    }
    Write-Host "$($Setup.ServerName): $script:AgentName removed ($($Result.Changes.Count) change(s)). $kept"
}

# Which policy becomes active, what it references (from the agent itself), and its validation.

function Resolve-PolicyToActivate {
    # Which policy will be active after this run and everything it references, read by the package's own agent
    # assembly before anything changes. A policy that is invalid, names a file that is missing, or names a file or
    # folder relative to itself but outside its folder (which could not be copied with it) stops the run here.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [string] $PolicyPath
    )

    $source = Get-PolicySource -Setup $Setup -PolicyPath $PolicyPath
    if (-not (Test-Path -LiteralPath $source -PathType Leaf)) {
        throw "The policy '$source' is invalid. Nothing was changed. Fix these errors and run install.ps1 again:$([Environment]::NewLine)${source}: the policy file does not exist."
    }
    $inventory = Get-PolicyInventory -Path $source -AgentAssemblyPath $Setup.PackageAssemblyPath
    $errors = @($inventory.Errors)
    if ($errors.Count -gt 0) {
        throw "The policy '$source' is invalid. Nothing was changed. Fix these errors and run install.ps1 again:$([Environment]::NewLine)$($errors -join [Environment]::NewLine)"
    }
    $references = @(ConvertTo-PolicyReference -Inventory $inventory)
    # Partner certificate files are only warnings to the agent, but a file the policy names must travel with it.
    $missing = @($references | Where-Object { -not $_.IsFolder -and -not (Test-Path -LiteralPath $_.SourcePath -PathType Leaf) })
    if ($missing.Count -gt 0) {
        throw "The policy '$source' refers to files that do not exist. Nothing was changed:$([Environment]::NewLine)$(($missing | ForEach-Object { $_.SourcePath }) -join [Environment]::NewLine)"
    }
    if ($source -ne $Setup.ActivePolicyPath) {
        $folder = Split-Path -Parent $source
        $outside = @($references | Where-Object { $_.IsRelative -and $null -eq (Get-PathBelow -Path $_.SourcePath -Folder $folder) })
        if ($outside.Count -gt 0) {
            throw "The policy '$source' names files or folders relative to itself but outside the policy's folder, so they cannot be copied with it. Nothing was changed. Move them into the policy's folder (or below), or name them by absolute path if they are to stay where they are (they must then exist on every server):$([Environment]::NewLine)$(($outside | ForEach-Object { $_.SourcePath }) -join [Environment]::NewLine)"
        }
    }
    [pscustomobject]@{
        SourcePath = $source
        References = $references
        ForcedTls  = ConvertTo-ForcedTlsSetting -Inventory $inventory
    }
}

function Get-PolicyInventory {
    # What the agent itself reads from a policy: its errors, every file and folder it references, its forced-TLS
    # settings ([ExchangeEncryptionAgent.Activation.PolicyInventory]::Read in that exact assembly). The installer
    # never reads the policy XML itself, so it cannot disagree with the agent about what a policy names.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $AgentAssemblyPath
    )

    $assembly = Import-AgentAssembly -Path (Resolve-FullPath -Path $AgentAssemblyPath)
    Invoke-PolicyInventory -Assembly $assembly -Path $Path
}

function ConvertTo-PolicyReference {
    # One object per referenced file or folder. IsRelative: named relative to the policy, so it travels with it;
    # otherwise it stays where it is (and must exist on every server). IsWritable: the agent writes there (the
    # harvesting folder), so the transport service account needs Modify on it. RelativePath: where a relative
    # reference lies below the policy's folder (where it lands below the installed policy).
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Inventory)

    $absolute = @($Inventory.AbsolutePaths)
    # An agent DLL older than WritableFolders (an installed version read during an upgrade) names none.
    $writable = @(if ($Inventory.PSObject.Properties['WritableFolders']) { $Inventory.WritableFolders })
    $policyFolder = Split-Path -Parent ([string]$Inventory.PolicyPath)
    foreach ($file in @($Inventory.Files)) {
        [pscustomobject]@{ SourcePath = [string]$file; IsFolder = $false; IsRelative = $absolute -notcontains $file; IsWritable = $false; RelativePath = Get-PathBelow -Path ([string]$file) -Folder $policyFolder }
    }
    foreach ($folder in @($Inventory.Folders)) {
        [pscustomobject]@{ SourcePath = [string]$folder; IsFolder = $true; IsRelative = $absolute -notcontains $folder; IsWritable = $writable -contains $folder; RelativePath = Get-PathBelow -Path ([string]$folder) -Folder $policyFolder }
    }
}

function ConvertTo-ForcedTlsSetting {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Inventory)

    if (-not $Inventory.ForcedTlsAddressSpace) {
        return $null
    }
    $tlsDomain = $null
    if ($Inventory.ForcedTlsDomain) {
        $tlsDomain = [string]$Inventory.ForcedTlsDomain
    }
    [pscustomobject]@{ AddressSpace = [string]$Inventory.ForcedTlsAddressSpace; TlsDomain = $tlsDomain }
}

function Get-PolicySource {
    # -PolicyPath wins; otherwise the policy already active on this server is kept; a first install starts from
    # the package's default.xml.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [string] $PolicyPath
    )

    if ($PolicyPath) {
        $full = Resolve-FullPath -Path $PolicyPath
        if (-not (Test-Path -LiteralPath $full -PathType Leaf)) {
            throw "The policy file '$full' does not exist. Nothing was changed."
        }
        return $full
    }
    if (Test-Path -LiteralPath $Setup.ActivePolicyPath -PathType Leaf) {
        return $Setup.ActivePolicyPath
    }
    Join-Path $Setup.PackagePolicyFolder $script:DefaultPolicyFileName
}

function Get-InstalledPolicyReference {
    # For uninstall: what the installed policy refers to, so the access Install granted can be taken back. Read with
    # the package's agent assembly, never the installed one: loading that would keep it open and stop its deletion.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.ActivePolicyPath -PathType Leaf)) {
        return
    }
    $reader = $Setup.PackageAssemblyPath
    if (-not $reader -or -not (Test-Path -LiteralPath $reader -PathType Leaf)) {
        Write-Warning "No agent in the package to read '$($Setup.ActivePolicyPath)' with; access to the files it names by absolute path is left as it is."
        return
    }
    try {
        ConvertTo-PolicyReference -Inventory (Get-PolicyInventory -Path $Setup.ActivePolicyPath -AgentAssemblyPath $reader)
    }
    catch {
        Write-Warning "Could not read '$($Setup.ActivePolicyPath)' ($($_.Exception.Message)); access to the files it names by absolute path is left as it is."
    }
}

function Get-InstalledPolicyError {
    # For Status: $null when there is nothing to validate with or nothing to validate.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    $validator = $Setup.PackageAssemblyPath
    if (-not $validator -or -not (Test-Path -LiteralPath $validator -PathType Leaf)) {
        return $null
    }
    if (-not (Test-Path -LiteralPath $Setup.ActivePolicyPath -PathType Leaf)) {
        return $null
    }
    , @((Test-EncryptionPolicy -Path $Setup.ActivePolicyPath -AgentAssemblyPath $validator).Errors)
}

function New-PolicyTestResult {
    [CmdletBinding()]
    param(
        [string] $Path,
        [string[]] $Errors
    )

    [pscustomobject]@{ Path = $Path; IsValid = (@($Errors).Count -eq 0); Errors = @($Errors) }
}

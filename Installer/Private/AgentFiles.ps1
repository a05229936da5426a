# Steps: the agent's files, the shipped policies and the files the active policy references.

function Get-AgentBinaryChange {
    # Package files under agent\ that are missing or different in the install folder. NLog.config is the
    # administrator's once installed, so it only counts when absent.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    foreach ($file in @(Get-ChildItem -LiteralPath $Setup.PackageAgentFolder -File)) {
        $destination = Join-Path $Setup.InstallPath $file.Name
        $isLoggingConfig = $file.Name -eq $script:LoggingConfigFileName
        if ($isLoggingConfig -and (Test-Path -LiteralPath $destination -PathType Leaf)) {
            continue
        }
        if (-not (Test-SameFileContent -Source $file.FullName -Destination $destination)) {
            # EdgeTransport.exe loads every file here except NLog.config (read once, and optional).
            [pscustomobject]@{ Source = $file.FullName; Destination = $destination; NeedsRestart = -not $isLoggingConfig }
        }
    }
}

function Get-ShippedPolicyChange {
    # Package files under Policies\ (policy.xsd, default.xml, examples\) that are missing or different.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.PackagePolicyFolder -PathType Container)) {
        return
    }
    $root = (Get-Item -LiteralPath $Setup.PackagePolicyFolder).FullName
    foreach ($file in @(Get-ChildItem -LiteralPath $root -File -Recurse)) {
        $relative = $file.FullName.Substring($root.Length).TrimStart('\', '/')
        $destination = Join-Path $Setup.PolicyFolder $relative
        if (-not (Test-SameFileContent -Source $file.FullName -Destination $destination)) {
            [pscustomobject]@{ Source = $file.FullName; Destination = $destination }
        }
    }
}

function Test-SameFileContent {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Source,
        [Parameter(Mandatory)][string] $Destination
    )

    if (-not (Test-Path -LiteralPath $Destination -PathType Leaf)) {
        return $false
    }
    (Get-FileHash -LiteralPath $Source -Algorithm SHA256).Hash -eq (Get-FileHash -LiteralPath $Destination -Algorithm SHA256).Hash
}

function Copy-AgentBinary {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [object[]] $Change
    )

    Copy-FileSet -Change $Change -Description "Copy $(@($Change).Count) agent file(s) to $($Setup.InstallPath)"
}

function Copy-ShippedPolicyFile {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $change = @(Get-ShippedPolicyChange -Setup $Setup)
    Copy-FileSet -Change $change -Description "Copy $($change.Count) shipped policy file(s) (schema, default, examples) to $($Setup.PolicyFolder)"
}

function Copy-PolicyReferenceFile {
    # Every file and folder a policy from outside the install folder names relative to itself travels with it, to
    # the same place relative to the active policy, so the references stay valid: certificates, keys, password
    # files, CRLs, whole certificate and key folders. Absolute references stay where they are. Additive: a file
    # already installed that the source no longer has stays (a harvesting folder fills up on the server itself).
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy
    )

    if ($Policy.SourcePath -eq $Setup.ActivePolicyPath) {
        return
    }
    $sourceFolder = Split-Path -Parent $Policy.SourcePath
    # A named folder must exist even when it is empty (an empty CRL folder is fine; a missing one is an error).
    $folders = @($Policy.References | Where-Object { $_.IsRelative -and $_.IsFolder -and (Test-Path -LiteralPath $_.SourcePath -PathType Container) } |
            ForEach-Object { Join-Path $Setup.PolicyFolder (Get-RelativePolicyPath -Path $_.SourcePath -Folder $sourceFolder) } |
            Where-Object { -not (Test-Path -LiteralPath $_ -PathType Container) })
    if ($folders.Count -gt 0) {
        $description = "Create $($folders.Count) folder(s) the policy names in $($Setup.PolicyFolder)"
        if ($PSCmdlet.ShouldProcess($description, 'Create folders')) {
            foreach ($folder in $folders) {
                $null = New-Item -ItemType Directory -Path $folder -Force
            }
        }
        $description
    }
    $change = @()
    foreach ($file in @(Get-PolicyReferenceSourceFile -Reference $Policy.References)) {
        $destination = Join-Path $Setup.PolicyFolder (Get-RelativePolicyPath -Path $file -Folder $sourceFolder)
        if (-not (Test-SameFileContent -Source $file -Destination $destination)) {
            $change += [pscustomobject]@{ Source = $file; Destination = $destination }
        }
    }
    Copy-FileSet -Change $change -Description "Copy $($change.Count) certificate, key or password file(s) the policy names to $($Setup.PolicyFolder)"
}

function Get-PolicyReferenceSourceFile {
    # The files to copy for the relative references: each named file, and every file below each named folder
    # (a folder that does not exist yet, such as a harvesting folder, has none).
    [CmdletBinding()]
    param([object[]] $Reference)

    foreach ($item in @($Reference | Where-Object { $_.IsRelative })) {
        if (-not $item.IsFolder) {
            $item.SourcePath
        }
        elseif (Test-Path -LiteralPath $item.SourcePath -PathType Container) {
            @(Get-ChildItem -LiteralPath $item.SourcePath -File -Recurse | ForEach-Object { $_.FullName })
        }
    }
}

function Get-RelativePolicyPath {
    # Checked before anything changed (Resolve-PolicyToActivate); here it would be a bug.
    [CmdletBinding()]
    param(
        [string] $Path,
        [string] $Folder
    )

    $below = Get-PathBelow -Path $Path -Folder $Folder
    if ($null -eq $below) {
        throw "The policy names '$Path' relative to itself but outside its folder '$Folder', so it cannot be copied with the policy. Move it into the policy's folder (or below), or name it by absolute path if it is to stay where it is."
    }
    $below
}

function Get-PathBelow {
    # The part of $Path below $Folder; $null when $Path is not below it.
    [CmdletBinding()]
    param(
        [string] $Path,
        [string] $Folder
    )

    $prefix = $Folder.TrimEnd('\', '/') + [System.IO.Path]::DirectorySeparatorChar
    if (-not $Path.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) {
        return $null
    }
    $Path.Substring($prefix.Length)
}

function Copy-ActivePolicy {
    # Last of the file steps: the agent hot-reloads policy.xml, so everything it names is in place and readable first.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy
    )

    if ($Policy.SourcePath -eq $Setup.ActivePolicyPath -or (Test-SameFileContent -Source $Policy.SourcePath -Destination $Setup.ActivePolicyPath)) {
        return
    }
    $change = @([pscustomobject]@{ Source = $Policy.SourcePath; Destination = $Setup.ActivePolicyPath })
    Copy-FileSet -Change $change -Description "Activate policy $($Policy.SourcePath) as $($Setup.ActivePolicyPath)"
}

function Copy-FileSet {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [object[]] $Change,
        [Parameter(Mandatory)][string] $Description
    )

    if (@($Change).Count -eq 0) {
        return
    }
    if ($PSCmdlet.ShouldProcess($Description, 'Copy files')) {
        foreach ($item in $Change) {
            Copy-AgentFile -Source $item.Source -Destination $item.Destination
        }
    }
    $Description
}

function New-AgentLogFolder {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    if (Test-Path -LiteralPath $Setup.LogFolder -PathType Container) {
        return
    }
    $description = "Create log folder $($Setup.LogFolder)"
    if ($PSCmdlet.ShouldProcess($Setup.LogFolder, 'Create folder')) {
        $null = New-Item -ItemType Directory -Path $Setup.LogFolder -Force
    }
    $description
}

function Unblock-InstalledFile {
    # Files that came from a downloaded zip carry a Zone.Identifier mark; LoadFrom refuses such a DLL (0x80131515).
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.InstallPath -PathType Container)) {
        return
    }
    $blocked = @(Get-ChildItem -LiteralPath $Setup.InstallPath -File -Recurse | Where-Object { Test-FileBlocked -Path $_.FullName })
    if ($blocked.Count -eq 0) {
        return
    }
    $description = "Unblock $($blocked.Count) downloaded file(s) in $($Setup.InstallPath)"
    if ($PSCmdlet.ShouldProcess($description, 'Unblock files')) {
        foreach ($file in $blocked) {
            Unblock-AgentFile -Path $file.FullName
        }
    }
    $description
}

function Remove-AgentFile {
    # Everything Install put in the install folder except the data (Policies\, Logs\), and the upgrade backup.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $items = @()
    if (Test-Path -LiteralPath $Setup.InstallPath -PathType Container) {
        $keep = @($script:PolicyFolderName, $script:LogFolderName)
        $items += @(Get-ChildItem -LiteralPath $Setup.InstallPath | Where-Object { $keep -notcontains $_.Name } | ForEach-Object { $_.FullName })
    }
    if (Test-Path -LiteralPath $Setup.BackupPath) {
        $items += $Setup.BackupPath
    }
    if ($items.Count -eq 0) {
        return
    }
    $description = "Delete $($items.Count) agent file(s) and folder(s) from $($Setup.InstallPath)"
    if ($PSCmdlet.ShouldProcess($description, 'Delete files')) {
        foreach ($item in $items) {
            Remove-AgentItem -Path $item
        }
        Remove-EmptyFolder -Path $Setup.InstallPath
    }
    $description
}

function Remove-AgentData {
    # Policies (with the key files copied beside them) and logs. High impact: asks unless -Confirm:$false.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory)] $Setup)

    $items = @($Setup.PolicyFolder, $Setup.LogFolder | Where-Object { Test-Path -LiteralPath $_ })
    if ($items.Count -eq 0) {
        return
    }
    $description = "Delete policies and logs: $($items -join ', ')"
    if ($PSCmdlet.ShouldProcess($description, 'Delete data')) {
        foreach ($item in $items) {
            Remove-AgentItem -Path $item
        }
        Remove-EmptyFolder -Path $Setup.InstallPath
    }
    $description
}

function Remove-EmptyFolder {
    [CmdletBinding()]
    param([string] $Path)

    if ((Test-Path -LiteralPath $Path -PathType Container) -and @(Get-ChildItem -LiteralPath $Path -Force).Count -eq 0) {
        Remove-AgentItem -Path $Path
    }
}

# Steps: what the transport service account may read and write, and the folders that hold secrets.

function Get-AgentAccessRule {
    # What the transport service account needs: read on the policies (and every file and folder the policy names by
    # absolute path, which stay where they are), modify on its log folder and on the folder the policy has it write
    # harvested certificates to (IsWritable). Nothing else becomes writable.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [object[]] $Reference
    )

    [pscustomobject]@{ Path = $Setup.PolicyFolder; Rights = 'Read'; IsFolder = $true }
    [pscustomobject]@{ Path = $Setup.LogFolder; Rights = 'Modify'; IsFolder = $true }
    foreach ($item in @($Reference | Where-Object { -not $_.IsRelative -and -not $_.IsWritable })) {
        [pscustomobject]@{ Path = $item.SourcePath; Rights = 'Read'; IsFolder = [bool]$item.IsFolder }
    }
    foreach ($item in @($Reference | Where-Object { $_.IsWritable })) {
        $path = if ($item.IsRelative) { Join-Path $Setup.PolicyFolder $item.RelativePath } else { $item.SourcePath }
        [pscustomobject]@{ Path = $path; Rights = 'Modify'; IsFolder = $true }
    }
}

function Grant-AgentAccess {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy
    )

    foreach ($rule in @(Get-AgentAccessRule -Setup $Setup -Reference $Policy.References)) {
        if ($rule.Rights -eq 'Modify' -and -not (Test-Path -LiteralPath $rule.Path -PathType Container)) {
            # A harvesting folder is empty in the source, so nothing created it when the policy's files were copied;
            # the agent must not have to create it in a folder it may only read.
            if ($PSCmdlet.ShouldProcess($rule.Path, 'Create folder')) {
                $null = New-Item -ItemType Directory -Path $rule.Path -Force
            }
            "Create folder $($rule.Path)"
        }
        if (Test-AccessGranted -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights) {
            continue
        }
        $description = "Grant $($Setup.ServiceAccount) $($rule.Rights) on $($rule.Path)"
        if ($PSCmdlet.ShouldProcess($description, 'Grant access')) {
            Grant-Access -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights -IsFolder:$rule.IsFolder
        }
        $description
    }
}

function Revoke-AgentAccess {
    # Takes back exactly the rules Install added. Folders about to be deleted with -RemoveData are skipped.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [object[]] $Reference,
        [switch] $RemoveData
    )

    foreach ($rule in @(Get-AgentAccessRule -Setup $Setup -Reference $Reference)) {
        if ($RemoveData -and $rule.IsFolder) {
            continue
        }
        if (-not (Test-Path -LiteralPath $rule.Path) -or -not (Test-AccessRulePresent -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights -IsFolder:$rule.IsFolder)) {
            continue
        }
        $description = "Revoke $($Setup.ServiceAccount) $($rule.Rights) on $($rule.Path)"
        if ($PSCmdlet.ShouldProcess($description, 'Revoke access')) {
            Revoke-Access -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights -IsFolder:$rule.IsFolder
        }
        $description
    }
}

function Get-ProtectedFolderRule {
    # Folders that hold secrets get an ACL of their own, not the install folder's: Policies\ (private keys are copied
    # beside the policy) and Logs\spool (plain text of messages while they are signed or encrypted). Inheritance is
    # cut, so a broad grant on the install folder (Users: Read on Program Files) never reaches them. Accounts by SID,
    # so localised Windows (NT-AUTORITAET\SYSTEM) and renamed groups make no difference.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    $account = Get-AccountSid -Account $Setup.ServiceAccount
    [pscustomobject]@{
        Path  = $Setup.PolicyFolder
        Rules = @(
            [pscustomobject]@{ Sid = 'S-1-5-18'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = 'S-1-5-32-544'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = $account; Rights = 'Read' })
    }
    [pscustomobject]@{
        Path  = Join-Path $Setup.LogFolder $script:SpoolFolderName
        Rules = @(
            [pscustomobject]@{ Sid = 'S-1-5-18'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = 'S-1-5-32-544'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = $account; Rights = 'Modify' })
    }
}

function Protect-AgentDataFolder {
    # Creates Logs\spool (the agent would create it inheriting Logs\) and gives both folders their protected ACL,
    # unless they already have exactly that ACL.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    foreach ($folder in @(Get-ProtectedFolderRule -Setup $Setup)) {
        if (-not (Test-Path -LiteralPath $folder.Path -PathType Container)) {
            if ($PSCmdlet.ShouldProcess($folder.Path, 'Create folder')) {
                $null = New-Item -ItemType Directory -Path $folder.Path -Force
            }
            "Create folder $($folder.Path)"
        }
        elseif (Test-ProtectedAcl -Path $folder.Path -Rule $folder.Rules) {
            continue
        }
        $description = "Protect $($folder.Path): no inherited access; " + (($folder.Rules | ForEach-Object { "$($_.Sid) $($_.Rights)" }) -join ', ')
        if ($PSCmdlet.ShouldProcess($description, 'Set access control list')) {
            Set-ProtectedAcl -Path $folder.Path -Rule $folder.Rules
        }
        $description
    }
}

import { VoipProvider } from '@app/domain';
import { IsBoolean, IsEnum, IsObject, IsOptional } from 'class-validator';

export class ConfigureVoipConnectionDto {
  @IsEnum(VoipProvider)
  provider!: VoipProvider;

  /** Provider credentials; the allowed fields depend on the provider (checked by the use case). */
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown>;

  /** Issue a new webhook key and new generated secrets (old webhook URLs stop working). */
  @IsOptional()
  @IsBoolean()
  rotateKeys?: boolean;
}

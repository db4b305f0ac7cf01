import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { CardRefDto } from './place-call.dto';

export class FollowUpTaskDto {
  /** 1 follow-up call, 2 meeting (or an account's custom task type). */
  @IsInt()
  @Min(1)
  typeId!: number;

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  text!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  responsibleUserId?: number;
}

/** `POST /widget/calls/:callId/result`: the call-result modal's Save. */
export class SubmitCallResultDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => CardRefDto)
  entity?: CardRefDto;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7)
  callStatus?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  result?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => FollowUpTaskDto)
  task?: FollowUpTaskDto;

  /** One id per Save click: a retried request is queued once. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'requestId must be 1–64 letters, digits, "_" or "-"' })
  requestId?: string;
}
